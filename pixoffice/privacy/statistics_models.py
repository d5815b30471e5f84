"""The anonymous counts of a purged academic year: what the statistics page reads once
the year's personal data is gone (``retention.py`` stores them in the purge's
transaction). No row points at a person."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pixoffice.accounts.models import AcademicYear, Programme


class YearStatistics(models.Model):
    """The counts of one academic year and programme (``programme`` empty: the
    participants and certification results no student of the roster was linked to).

    A purge adds what it removes (the counts before it minus the counts after it), so
    the statistics page, which shows these rows plus the live counts, shows the same
    figures before and after. Integers, not positive ones: a count moved from one
    programme to another by a purge is stored as +1 / -1."""

    academic_year = models.ForeignKey(
        AcademicYear,
        on_delete=models.PROTECT,
        related_name="statistics",
        verbose_name=_("année universitaire"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("formation"),
    )
    students = models.IntegerField(_("étudiant·e·s"), default=0)
    participants = models.IntegerField(_("participations"), default=0)
    shares = models.IntegerField(_("envois"), default=0)
    notes_validated = models.IntegerField(_("notes validées"), default=0)
    notes_not_validated = models.IntegerField(_("notes non validées"), default=0)
    notes_absent = models.IntegerField(_("absences"), default=0)
    # {"0": n, …, "20": n}: the notes by whole point (floor of the final value)
    note_distribution = models.JSONField(_("répartition des notes"), default=dict, blank=True)
    badges_validated = models.IntegerField(_("badges validés"), default=0)
    certified = models.IntegerField(_("certifications obtenues"), default=0)
    stored_at = models.DateTimeField(_("enregistré le"), auto_now=True)

    class Meta:
        ordering = ["-academic_year__start", "programme__name"]
        verbose_name = _("statistiques d'une année purgée")
        verbose_name_plural = _("statistiques des années purgées")
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "programme"], name="one_statistics_row_per_programme"
            ),
            models.UniqueConstraint(
                fields=["academic_year"],
                condition=models.Q(programme__isnull=True),
                name="one_unlinked_statistics_row_per_year",
            ),
        ]

    def __str__(self):
        return f"{self.academic_year} — {self.programme or '—'}"
