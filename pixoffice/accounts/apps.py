from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pixoffice.accounts"
    label = "accounts"
    verbose_name = _("Personnes et rôles")

    def ready(self):
        # the CAS logout receiver; forgetting a cached user when saved (workers too)
        from . import cas, session_user  # noqa: F401, PLC0415 (app registry: receivers)
