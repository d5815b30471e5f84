from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BadgesConfig(AppConfig):
    """AI-module Open Badges: upload, offline verification, staff review."""

    name = "pixoffice.badges"
    label = "badges"
    verbose_name = _("Open Badges")
