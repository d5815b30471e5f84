from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    """The outbox: every email of the project is a row, sent at most once."""

    name = "pixoffice.mail"
    label = "mail"
    verbose_name = _("Courriels")

    def ready(self):
        from . import receivers  # noqa: F401, PLC0415 (app registry: connects the activation mail)
