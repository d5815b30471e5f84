"""What the privacy app keeps: who produced a copy of a student's personal data, and
the anonymous counts of purged years (``statistics_models``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pixoffice.accounts.models import Student

from .statistics_models import YearStatistics

__all__ = ["PersonalDataExport", "YearStatistics"]


class PersonalDataExport(models.Model):
    """A copy of a student's personal data produced by staff or an admin (the log a
    student's copy also lists). A student's own downloads are not logged: they only
    read what concerns themselves."""

    class Format(models.TextChoices):
        JSON = "json", _("JSON")
        HTML = "html", _("page HTML")
        PDF = "pdf", _("PDF")

    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="personal_data_exports",
        verbose_name=_("étudiant·e"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("produite par"),
    )
    # kept when the account is gone, so the log still says who it was
    by_email = models.EmailField(_("adresse de l'auteur·rice"), blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("copie de données personnelles")
        verbose_name_plural = _("copies de données personnelles")

    def __str__(self):
        return f"{self.student} — {self.get_format_display()} ({self.at:%d/%m/%Y %H:%M})"
