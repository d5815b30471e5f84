"""Export layouts for the student information system."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
