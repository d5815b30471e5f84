"""Versioned grids: minimum score → note, frozen once a published note used them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from grading import computation as calc
from pixoffice.accounts.models import AcademicYear


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
