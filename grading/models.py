"""Grading: versioned grids, schemes and their components, notes, their audit trail and
their publication."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign
from pixoffice.accounts.models import AcademicYear, Programme, Semester, Student

from . import computation as calc


class Grid(models.Model):
    """A stepped grid (minimum score → note) of one academic year, in one version.

    A grid used by a published note is frozen: editing it makes the next version.
    """

    name = models.CharField(_("nom"), max_length=120)
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="grids", verbose_name=_("année")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    scale = models.DecimalField(
        _("barème"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(20),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("La note maximale : 20 pour une note sur 20, 10 pour une note sur 10."),
    )
    input_name = models.CharField(
        _("score d'entrée"),
        max_length=40,
        default="score_min_pix",
        help_text=_("En-tête de la première colonne à l'export (ex. score_min_pix)."),
    )
    # [["0", "0"], ["65", "0.5"], …]: minimum score, note (decimal text)
    steps = models.JSONField(_("paliers"), default=list)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("remplace"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        ordering = ["-academic_year__start", "name", "-version"]
        verbose_name = _("grille")
        verbose_name_plural = _("grilles")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "academic_year", "version"], name="one_grid_version"
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.academic_year} (v{self.version})"

    @property
    def label(self) -> str:
        return str(self)

    def step_list(self) -> list[calc.Step]:
        return calc.steps_from_pairs(self.steps)

    def rule(self) -> calc.GridRule:
        return calc.GridRule(self.pk, self.label, self.scale, self.step_list())

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "superseded_by")


class Scheme(models.Model):
    """How the notes of a semester are made for some programmes."""

    class Combine(models.TextChoices):
        SUM = calc.SUM, _("Somme des notes")
        WEIGHTED_MEAN = calc.WEIGHTED_MEAN, _("Moyenne pondérée")

    class Rounding(models.TextChoices):
        NONE = "none", _("Aucun arrondi")
        HUNDREDTH = "hundredth", _("Au centième le plus proche")
        HALF_NEAREST = "half_nearest", _("Au demi-point le plus proche")
        HALF_UP = "half_up", _("Au demi-point supérieur")
        HALF_DOWN = "half_down", _("Au demi-point inférieur")
        UNIT_NEAREST = "unit_nearest", _("Au point le plus proche")

    name = models.CharField(_("nom"), max_length=150)
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="schemes", verbose_name=_("année")
    )
    semester = models.ForeignKey(
        Semester,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schemes",
        verbose_name=_("semestre"),
    )
    programmes = models.ManyToManyField(
        Programme, related_name="schemes", verbose_name=_("formations")
    )
    combine = models.CharField(
        _("combinaison"), max_length=16, choices=Combine.choices, default=Combine.SUM
    )
    scale = models.DecimalField(_("barème"), max_digits=5, decimal_places=2, default=Decimal(20))
    cap = models.DecimalField(
        _("plafond"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vide : la note est plafonnée au barème."),
    )
    rounding = models.CharField(
        _("arrondi"), max_length=16, choices=Rounding.choices, default=Rounding.NONE
    )
    pass_mark = models.DecimalField(
        _("note de validation"), max_digits=5, decimal_places=2, default=Decimal(10)
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["-academic_year__start", "name"]
        verbose_name = _("modalité de notation")
        verbose_name_plural = _("modalités de notation")

    def __str__(self):
        return f"{self.name} ({self.academic_year})"


class Component(models.Model):
    """One part of a scheme: points from a campaign (through a grid), or a requirement."""

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", _("Campagne Pix")
        BADGE = "badge", _("Open Badge exigé (sans points)")
        CERTIFICATION = "certification", _("Certification Pix (score certifié)")

    class Basis(models.TextChoices):
        TOTAL_PIX = calc.TOTAL_PIX, _("Total de pix de l'envoi retenu")
        PIX_ON_COMPETENCES = calc.PIX_ON_COMPETENCES, _("Pix sur les compétences de la campagne")
        MEAN_LEVEL = calc.MEAN_LEVEL, _("Niveau moyen sur les compétences de la campagne")
        CERTIFICATION_SCORE = calc.CERTIFICATION_SCORE, _("Score certifié de la certification Pix")

    class Missing(models.TextChoices):
        ZERO = calc.MISSING_ZERO, _("0 pour cette partie")
        ABSENCE = calc.MISSING_ABSENCE, _("Code d'absence pour la note")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField(_("ordre"), default=1)
    label = models.CharField(_("libellé"), max_length=120)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.CAMPAIGN)
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grading_components",
        verbose_name=_("campagne"),
    )
    basis = models.CharField(
        _("base"), max_length=24, choices=Basis.choices, default=Basis.TOTAL_PIX, blank=True
    )
    grid = models.ForeignKey(
        Grid,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="components",
        verbose_name=_("grille"),
    )
    weight = models.DecimalField(_("coefficient"), max_digits=5, decimal_places=2, default=1)
    missing = models.CharField(
        _("si la donnée manque"), max_length=8, choices=Missing.choices, default=Missing.ZERO
    )
    absence_code = models.CharField(_("code d'absence"), max_length=8, default="ABI", blank=True)
    badge_requirement = models.ForeignKey(
        "badges.BadgeRequirement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grading_components",
        verbose_name=_("badge exigé"),
    )

    class Meta:
        ordering = ["scheme", "position", "pk"]
        verbose_name = _("composante")
        verbose_name_plural = _("composantes")

    def __str__(self):
        return self.label

    @property
    def key(self) -> str:
        """The component's name in a rule and in a note's sources (unsaved: temporary)."""
        return f"c{self.pk}" if self.pk else f"new{id(self)}"


class Note(models.Model):
    """A student's note under a scheme: computed, possibly overridden, maybe published.

    ``value``/``result`` are what the rule computes now; ``override_*`` what staff set
    instead; ``published_*`` the snapshot students see, changed only by a publication.
    """

    class Result(models.TextChoices):
        VALIDATED = calc.VALIDATED, _("Validé")
        NOT_VALIDATED = calc.NOT_VALIDATED, _("Non validé")
        ABSENT = calc.ABSENT, _("Absent")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="notes")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="notes")
    value = models.DecimalField(_("note calculée"), max_digits=6, decimal_places=2, null=True)
    result = models.CharField(_("résultat calculé"), max_length=16, choices=Result.choices)
    absence_code = models.CharField(_("code d'absence"), max_length=8, blank=True)
    # the explanation as data (computation.compute's lines) and where inputs came from:
    # {component key: {"share": id, "import": id, "grid": id, …}}
    explanation = models.JSONField(_("explication"), default=list)
    sources = models.JSONField(_("sources"), default=dict)
    computed_at = models.DateTimeField(_("calculée le"))

    override_value = models.DecimalField(
        _("note saisie"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    override_result = models.CharField(
        _("résultat saisi"), max_length=16, choices=Result.choices, blank=True
    )
    override_reason = models.TextField(_("motif de la saisie"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)

    published_value = models.DecimalField(
        _("note publiée"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    published_result = models.CharField(
        _("résultat publié"), max_length=16, choices=Result.choices, blank=True
    )
    published_absence_code = models.CharField(max_length=8, blank=True)
    published_explanation = models.JSONField(default=list, blank=True)
    published_sources = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    # Published, and the value, result or explanation changed since: « à republier ».
    # Kept by every write of a note (recomputation, override, publication) so that pages
    # count and filter it in SQL; ``differs_from_published`` is the rule it stores.
    needs_republication = models.BooleanField(_("à republier"), default=False)

    class Meta:
        ordering = ["student__last_name", "student__first_name"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "student"], name="one_note_per_scheme"),
        ]

    def __str__(self):
        return f"{self.student} — {self.scheme}"

    @property
    def is_overridden(self) -> bool:
        return bool(self.override_result)

    @property
    def final_value(self):
        return self.override_value if self.is_overridden else self.value

    @property
    def final_result(self) -> str:
        return self.override_result if self.is_overridden else self.result

    @property
    def final_absence_code(self) -> str:
        return "" if self.is_overridden else self.absence_code

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def publishable_explanation(self) -> list:
        """The explanation a publication would show now: the computation's lines, then
        the override with its reason if staff set the note by hand."""
        if not self.is_overridden:
            return self.explanation
        override = {
            "kind": "override",
            "value": None if self.final_value is None else str(self.final_value),
            "result": self.final_result,
            "reason": self.override_reason,
        }
        return [*self.explanation, override]

    @property
    def differs_from_published(self) -> bool:
        """Published, and the value, the result or the explanation differ from what a
        publication would show now (a badge obtained since changes only the sentence)."""
        return self.is_published and (
            self.published_value != self.final_value
            or self.published_result != self.final_result
            or self.published_absence_code != self.final_absence_code
            or self.published_explanation != self.publishable_explanation()
        )


class NoteChange(models.Model):
    """The audit trail: every change of a note, who, when, old → new, why."""

    class Kind(models.TextChoices):
        COMPUTED = "computed", _("Calcul")
        EXPLAINED = "explained", _("Calcul : explication mise à jour")
        OVERRIDE = "override", _("Note saisie")
        OVERRIDE_REMOVED = "override_removed", _("Saisie annulée")
        PUBLISHED = "published", _("Publication")
        REPUBLISHED = "republished", _("Nouvelle publication")

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("le"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    old_value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    new_value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    old_result = models.CharField(max_length=16, blank=True)
    new_result = models.CharField(max_length=16, blank=True)
    reason = models.TextField(_("motif"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("changement de note")
        verbose_name_plural = _("historique des notes")

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"

    @property
    def is_public(self) -> bool:
        return self.kind in (self.Kind.PUBLISHED, self.Kind.REPUBLISHED)


class Publication(models.Model):
    """Staff published (or re-published) a scheme's notes for a programme."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="publications")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="+", verbose_name=_("formation")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("publiée le"))
    reason = models.TextField(_("motif"), blank=True)
    notes_count = models.PositiveIntegerField(_("notes publiées"), default=0)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self):
        return f"{self.scheme} — {self.programme} ({self.published_at:%d/%m/%Y})"


class ExportLayout(models.Model):
    """The columns of an export to the student information system."""

    FIELDS = {
        "student_number": _("Numéro étudiant"),
        "last_name": _("Nom"),
        "first_name": _("Prénom"),
        "programme": _("Formation"),
        "note": pgettext_lazy("une note sur un barème", "Note"),
        "result": _("Résultat"),
        "absence_code": _("Code absence"),
        "ine": _("INE"),
        "group": _("Groupe"),
    }

    name = models.CharField(_("nom"), max_length=80, unique=True)
    # [["student_number", "NUMERO"], ["note", "NOTE"], …]: field, header
    columns = models.JSONField(_("colonnes"), default=list)

    class Meta:
        ordering = ["name"]
        verbose_name = _("format d'export")
        verbose_name_plural = _("formats d'export")

    def __str__(self):
        return self.name
