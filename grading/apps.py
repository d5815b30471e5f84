from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    """Grids, schemes, notes and their publication (the grading issue)."""

    name = "grading"
    verbose_name = _("Notes")
