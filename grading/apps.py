from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    """Grids, schemes, notes and their publication."""

    name = "grading"
    verbose_name = _("Notes")

    def ready(self):
        from . import receivers  # noqa: F401, PLC0415 (app registry: connects the recomputation to inputs)
