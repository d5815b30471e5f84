"""Schemes (how a programme's course is graded) and their components."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from grading import computation as calc
from grading.models.grids import Grid
from pixoffice.accounts.models import AcademicYear, Programme, Semester


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
        # xgettext:no-python-format
        MASTERY_RATE = calc.MASTERY_RATE, _("% de maîtrise de l'envoi retenu (évaluation)")
        STAGE = calc.STAGE, _("Palier obtenu sur l'envoi retenu (évaluation)")

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
    minimum = models.DecimalField(
        _("seuil exigé"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            # xgettext:no-python-format
            "Sans grille : la composante ne donne pas de points, elle est exigée pour valider "
            "(ex. palier 2, ou 50 pour 50 % de maîtrise)."
        ),
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
