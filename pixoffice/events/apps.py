from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Support sessions, workshops with seats and a waiting list, office hours."""

    name = "pixoffice.events"
    label = "events"
    verbose_name = _("Événements")
