from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    """Certification sessions, candidates, convocations, results (a later issue)."""

    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        from . import convocations  # noqa: F401, PLC0415 (app registry: connects its receivers)
