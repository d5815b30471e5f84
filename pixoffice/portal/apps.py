from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Home pages and, later, the calendar: the top floor, reads from every app."""

    name = "pixoffice.portal"
    label = "portal"
    verbose_name = _("Portail")

    def ready(self):
        from . import receivers  # noqa: F401, PLC0415 (app registry: forgets cached student homes)
