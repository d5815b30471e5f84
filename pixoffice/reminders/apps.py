from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Reminder rules: when and to whom, run once per occurrence through the outbox."""

    name = "pixoffice.reminders"
    label = "reminders"
    verbose_name = _("Rappels")
