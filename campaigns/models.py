"""Campaigns: the Pix framework, campaigns, Pix Orga result imports, participations, shares."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from pixoffice.accounts.models import AcademicYear, Programme, Semester, Student, UploadedBatch
from pixoffice.core.locking import LockBeforeDelete

from . import rules as r
from .fields import JSONTextField
from .framework import FRAMEWORK_LEVELS, level_label


class Domain(models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True)
    title = models.CharField(_("titre"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("domaine")
        verbose_name_plural = _("domaines")

    def __str__(self):
        return f"{self.code}. {self.title}"


class Competence(models.Model):
    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="competences")
    position = models.PositiveSmallIntegerField(_("ordre"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")

    def __str__(self):
        return f"{self.code} {self.name}"


# the framework's level names (campaigns/framework.py knows no Django), translated
LEVEL_NAMES = {
    "non évalué": _("non évalué"),
    "novice": _("novice"),
    "indépendant": _("indépendant"),
    "avancé": _("avancé"),
    "expert": _("expert"),
}


class Campaign(LockBeforeDelete, RulesModel):
    """A campaign created in Pix Orga and registered here."""

    class Kind(models.TextChoices):
        PROFILES_COLLECTION = "profiles_collection", _("Collecte de profils")
        ASSESSMENT = "assessment", _("Évaluation")

    class CountingRule(models.TextChoices):
        LAST_BEFORE_DEADLINE = "last_before_deadline", _("Le dernier envoi avant la date limite")
        BEST = "best", _("Le meilleur envoi")
        LAST = "last", _("Le dernier envoi")

    name = models.CharField(_("nom"), max_length=200)
    code = models.CharField(
        _("code Pix"),
        max_length=9,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z0-9]{9}$", _("9 lettres majuscules ou chiffres, ex. MJPECY231."))
        ],
    )
    kind = models.CharField(
        _("type"), max_length=24, choices=Kind.choices, default=Kind.PROFILES_COLLECTION
    )
    academic_year = models.ForeignKey(
        AcademicYear,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("année universitaire"),
    )
    semester = models.ForeignKey(
        Semester,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("semestre"),
    )
    programmes = models.ManyToManyField(
        Programme, related_name="campaigns", verbose_name=_("formations concernées")
    )
    competences = models.ManyToManyField(
        Competence, related_name="campaigns", verbose_name=_("compétences attendues")
    )
    opens_on = models.DateField(_("ouverture"))
    deadline = models.DateTimeField(_("date limite"))
    target_level = models.PositiveSmallIntegerField(
        _("niveau visé"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(FRAMEWORK_LEVELS)],
    )
    pix_id = models.CharField(
        _("ID Campagne (Pix Orga)"),
        max_length=20,
        blank=True,
        help_text=_(
            "Le numéro que Pix Orga donne à la campagne (colonne « ID Campagne » des exports). "
            "Vide : le premier import le retient ; un export d'une autre campagne est refusé."
        ),
    )
    external_id_label = models.CharField(
        _("identifiant demandé aux étudiants"),
        max_length=100,
        default="Numéro étudiant",
        help_text=_(
            "Le libellé exact de l'identifiant externe demandé par la campagne dans Pix Orga."
        ),
    )
    counting_rule = models.CharField(
        _("envoi retenu"),
        max_length=24,
        choices=CountingRule.choices,
        default=CountingRule.LAST_BEFORE_DEADLINE,
    )
    # what the assessment exports say of the target profile, kept by the imports: the
    # highest stage (« Palier obtenu (/3) ») and the thematic badges, in the file's order
    stage_count = models.PositiveSmallIntegerField(_("nombre de paliers"), null=True, blank=True)
    badge_names = models.JSONField(_("badges thématiques"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        ordering = ["deadline", "name"]
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        rules_permissions = {
            "view": r.can_view_campaign,
            "change": r.can_manage_campaign,
            "delete": r.can_manage_campaign,
            "add": r.is_staff_or_admin,
        }

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def is_open(self) -> bool:
        return self.deadline >= timezone.now()

    @property
    def target_label(self) -> str:
        """The name of the target level in the reader's language (« avancé »)."""
        name = level_label(self.target_level)
        return str(LEVEL_NAMES.get(name, name))


class ResultImport(UploadedBatch):
    """One uploaded Pix Orga export."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Aperçu, en attente de confirmation")
        QUEUED = "queued", _("En cours d'import")
        APPLIED = "applied", _("Importé")
        REFUSED = "refused", _("Refusé")
        FAILED = "failed", _("Échec")
        CANCELLED = "cancelled", _("Annulé")
        UNCHANGED = "unchanged", _("Rien de nouveau")

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="imports",
        verbose_name=_("campagne"),
    )
    file = models.FileField(_("fichier"), upload_to="pix/%Y/%m/")
    status = models.CharField(
        _("état"), max_length=16, choices=Status.choices, default=Status.PREVIEWED
    )

    class Meta(UploadedBatch.Meta):
        verbose_name = _("import de résultats Pix")
        verbose_name_plural = _("imports de résultats Pix")


class ExportHeader(models.Model):
    """The header line of a Pix Orga export, kept once: a share's ``raw`` cells are read
    against it (``Share.row``). One row per distinct header (usually one per campaign)."""

    digest = models.CharField(max_length=64, unique=True)
    columns = JSONTextField(_("colonnes"), default=list)

    class Meta:
        verbose_name = _("en-tête d'export Pix")
        verbose_name_plural = _("en-têtes d'export Pix")

    def __str__(self):
        return f"{len(self.columns)} colonnes ({self.digest[:8]})"


class Participation(models.Model):
    """A person who joined a campaign, as Pix Orga knows them (one per identifier).

    ``student`` is empty while the row matches nobody in the roster: the unmatched
    queue, which staff resolve by linking a student.
    """

    # Every pointer carries its foreign-key constraint (docs/architecture.md, « Bulk
    # imports »). The campaign is indexed by the unique constraint (campaign, identifier).
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="participations",
        db_index=False,
    )
    identifier = models.CharField(_("identifiant"), max_length=150)
    student = models.ForeignKey(
        Student,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("étudiant·e"),
        db_index=False,  # indexed by the unique constraint (student, campaign)
    )
    last_name = models.CharField(_("nom"), max_length=150)
    first_name = models.CharField(_("prénom"), max_length=150)
    group = models.CharField(_("groupe Pix"), max_length=150, blank=True)
    # audit pointers: constrained but not indexed (an import writes 20,000 rows at once
    # and each index costs; nothing looks rows up by them but a batch's deletion)
    first_import = models.ForeignKey(
        ResultImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rattaché par"),
        db_index=False,
    )
    linked_at = models.DateTimeField(_("rattaché le"), null=True, blank=True)
    # an unmatched row staff set aside (« pas un étudiant suivi ici »: another
    # programme's participant): hidden from the queue and its counts, undoable
    ignored_at = models.DateTimeField(_("ignorée le"), null=True, blank=True)
    ignored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ignorée par"),
        db_index=False,
    )
    # a database default too: imports COPY participations without this column
    ignored_reason = models.CharField(
        _("motif"), max_length=300, blank=True, default="", db_default=""
    )
    # assessment: what the latest export says of the participation (its current row)
    progression = models.FloatField(_("progression"), null=True, blank=True)
    started_at = models.DateTimeField(_("commencée le"), null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "identifier"], name="one_participation_per_identifier"
            ),
            # student first: it is also the index of the pointer to the student (a
            # lookup by student implies it is set), so that pointer needs no other
            # a plain UNIQUE: NULLs are distinct (PostgreSQL and SQLite), so unmatched
            # rows (no student yet) are free, and it is a constraint in pg_constraint,
            # which a partial unique index would not be
            models.UniqueConstraint(
                fields=["campaign", "student"], name="one_participation_per_student"
            ),
            # only an unmatched row can be set aside, and always with its date
            models.CheckConstraint(
                condition=models.Q(ignored_at__isnull=True) | models.Q(student__isnull=True),
                name="only_unmatched_rows_ignored",
            ),
            models.CheckConstraint(
                condition=models.Q(ignored_at__isnull=False) | models.Q(ignored_reason=""),
                name="ignored_reason_only_when_ignored",
            ),
        ]

    def __str__(self):
        return f"{self.last_name} {self.first_name} ({self.identifier})"


class Share(models.Model):
    """One sending ("envoi") of a participation: a snapshot of the profile."""

    # indexed by the unique constraint (participation, shared_at)
    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="shares",
        db_index=False,
    )
    shared_at = models.DateTimeField(_("envoyé le"))
    total_pix = models.PositiveSmallIntegerField(_("pix"), null=True, blank=True)
    certifiable = models.BooleanField(_("certifiable"), null=True)
    certifiable_count = models.PositiveSmallIntegerField(
        _("compétences certifiables"), null=True, blank=True
    )
    # profiles: {"1.1": [level, pix], …}; assessment: {"1.1": [rate, targeted, validated], …}
    results = JSONTextField(_("résultats par compétence"), default=dict)
    mastery_rate = models.FloatField(_("taux de maîtrise"), null=True, blank=True)
    stage = models.PositiveSmallIntegerField(_("palier"), null=True, blank=True)
    stage_count = models.PositiveSmallIntegerField(_("paliers"), null=True, blank=True)
    # assessment: {"Bases du tableur": true, …} (« … obtenu (O/N) »), in the file's order
    badges = models.JSONField(_("badges thématiques"), default=dict, blank=True)
    progression = models.FloatField(_("progression"), null=True, blank=True)
    started_at = models.DateTimeField(_("commencée le"), null=True, blank=True)
    # the snapshot: the export's row as Pix wrote it, every cell, read against ``header``
    raw = JSONTextField(_("ligne de l'export"), default=list)
    header = models.ForeignKey(
        ExportHeader,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # never looked up by it; headers are never deleted
    )
    import_batch = models.ForeignKey(
        ResultImport,
        on_delete=models.SET_NULL,
        null=True,
        related_name="shares",
        db_index=False,
    )
    is_late = models.BooleanField(_("après la date limite"), default=False)
    counts = models.BooleanField(_("envoi retenu"), default=False)

    class Meta:
        ordering = ["shared_at"]
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "shared_at"], name="one_share_per_instant"
            ),
            models.UniqueConstraint(
                fields=["participation"],
                condition=models.Q(counts=True),
                name="one_counting_share",
            ),
        ]

    def __str__(self):
        return f"{self.participation} {self.shared_at:%d/%m/%Y %H:%M}"

    def level(self, code: str) -> int | None:
        value = self.results.get(code)
        return value[0] if value else None

    def mastery(self, code: str) -> float | None:
        """Assessment: the mastery rate (0–1) of one competence."""
        value = self.results.get(code)
        return value[0] if value else None

    @property
    def mastery_percent(self) -> int | None:
        return None if self.mastery_rate is None else round(self.mastery_rate * 100)

    @property
    def acquired_badges(self) -> list[str]:
        return [name for name, acquired in self.badges.items() if acquired]

    @property
    def row(self) -> dict[str, str]:
        """The export's row, column → cell (needs ``header``; empty for shares imported
        before the rows were kept)."""
        if self.header_id is None:
            return {}
        return dict(zip(self.header.columns, self.raw, strict=False))
