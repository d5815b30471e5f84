"""People: users (email login), students, programmes, academic years, who follows what."""

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from pixoffice.accounts import rules as r
from pixoffice.accounts.signals import users_updated
from pixoffice.core.locking import LockBeforeDelete


class Role(models.TextChoices):
    STUDENT = "student", _("Étudiant·e")
    STAFF = "staff", _("Équipe pédagogique")
    ADMIN = "admin", _("Administration")


class UserQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Also tells which users changed (``signals.users_updated``): a logged-in user
        is cached (``accounts/session_user.py``) and an UPDATE sends no ``post_save``."""
        user_ids = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        users_updated.send(sender=self.model, user_ids=user_ids)
        return count


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in, with the email as login.

    ``role`` says what they do here; ``is_staff``/``is_superuser`` only open the
    Django admin and follow from the role (admins only).
    """

    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.STUDENT)
    programmes = models.ManyToManyField(
        "Programme",
        through="StaffAssignment",
        related_name="staff",
        blank=True,
        verbose_name=_("formations suivies"),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rice·s")

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        if self.role == Role.ADMIN:
            self.is_staff = True
        elif not self.is_superuser:
            self.is_staff = False
        super().save(*args, **kwargs)


class AcademicYear(models.Model):
    """An academic year, e.g. 2026-2027, from ``start`` to ``end``."""

    name = models.CharField(
        _("nom"),
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^\d{4}-\d{4}$", _("Format attendu : AAAA-AAAA."))],
    )
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))

    class Meta:
        ordering = ["-start"]
        verbose_name = _("année universitaire")
        verbose_name_plural = _("années universitaires")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="year_ends_after_start"
            )
        ]

    def __str__(self):
        return self.name

    @classmethod
    def current(cls, today=None):
        today = today or timezone.localdate()
        return (
            cls.objects.filter(start__lte=today, end__gte=today).first()
            or cls.objects.order_by("-start").first()
        )


class Semester(models.Model):
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.CASCADE, related_name="semesters", verbose_name=_("année")
    )
    number = models.PositiveSmallIntegerField(_("numéro"), validators=[MaxValueValidator(12)])
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))

    class Meta:
        ordering = ["academic_year", "number"]
        verbose_name = _("semestre")
        verbose_name_plural = _("semestres")
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "number"], name="one_semester_number_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="semester_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"S{self.number} {self.academic_year}"


class Programme(models.Model):
    """A programme (« formation »), e.g. « L2 Géographie »."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    code = models.CharField(_("code"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("formation")
        verbose_name_plural = _("formations")

    def __str__(self):
        return self.name


class StaffAssignment(models.Model):
    """A staff member follows a programme: they see and manage its students."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="assignments")

    class Meta:
        verbose_name = _("formation suivie")
        verbose_name_plural = _("formations suivies")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"], name="one_assignment_per_programme"
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.programme}"


class Student(LockBeforeDelete, RulesModel):
    """A student of the roster. ``user`` is set once they activate their account."""

    student_number = models.CharField(
        _("numéro étudiant"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Za-z-]+$", _("Chiffres et lettres seulement."))],
        help_text=_("Stocké comme texte : les zéros en tête sont conservés."),
    )
    ine = models.CharField(_("INE"), max_length=11, blank=True)
    last_name = models.CharField(_("nom"), max_length=150)
    birth_name = models.CharField(_("nom de naissance"), max_length=150, blank=True)
    first_name = models.CharField(_("prénom"), max_length=150)
    email = models.EmailField(_("adresse électronique"), blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_place = models.CharField(_("lieu de naissance"), max_length=150, blank=True)
    # what Pix Certif requires of a candidate besides names and birth date
    sex = models.CharField(_("sexe"), max_length=1, choices=[("M", "M"), ("F", "F")], blank=True)
    birth_insee_code = models.CharField(
        _("code INSEE de la commune de naissance"),
        max_length=5,
        blank=True,
        help_text=_("99 pour une naissance à l'étranger."),
    )
    birth_postal_code = models.CharField(
        _("code postal de la commune de naissance"), max_length=5, blank=True
    )
    birth_country = models.CharField(_("pays de naissance"), max_length=80, blank=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="students", verbose_name=_("formation")
    )
    group = models.CharField(_("groupe"), max_length=60, blank=True)
    academic_year = models.ForeignKey(
        AcademicYear,
        on_delete=models.PROTECT,
        related_name="students",
        verbose_name=_("année universitaire"),
        null=True,
        blank=True,
    )
    extra_time_percent = models.PositiveSmallIntegerField(
        _("temps supplémentaire (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("Tiers-temps : 33 %."),
    )
    needs_accessible_room = models.BooleanField(
        _("salle accessible en fauteuil roulant"),
        default=False,
        help_text=_("La certification se passe alors dans une salle accessible."),
    )
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="student",
        verbose_name=_("compte"),
    )
    left_on = models.DateField(
        _("a quitté la formation le"),
        null=True,
        blank=True,
        help_text=_(
            "Absent·e d'une liste de la scolarité et marqué·e par l'équipe : ne compte plus "
            "dans les suivis, les relances et les notes ; rien n'est supprimé. Une liste qui "
            "le ou la contient à nouveau efface la date."
        ),
    )
    # which roster import created the row and which last changed it (written by the
    # import's COPY and UPDATE … FROM, no extra statement; audit pointers: no index)
    created_by_import = models.ForeignKey(
        "accounts.RosterImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("créé·e par l'import"),
    )
    last_changed_by_import = models.ForeignKey(
        "accounts.RosterImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("modifié·e en dernier par l'import"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "student_number"]
        verbose_name = _("étudiant·e")
        verbose_name_plural = _("étudiant·e·s")
        indexes = [models.Index(Lower("email"), name="student_email_lower")]
        rules_permissions = {
            "view": r.can_view_student,
            "add": r.is_admin,
            "change": r.is_admin,
            "delete": r.is_admin,
        }

    def __str__(self):
        return f"{self.last_name} {self.first_name} ({self.student_number})"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def has_extra_time(self):
        return self.extra_time_percent > 0
