from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoomsConfig(AppConfig):
    """Sites and certified rooms (filled by the certification issue)."""

    name = "rooms"
    verbose_name = _("Sites et salles")
