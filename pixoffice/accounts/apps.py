from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pixoffice.accounts"
    label = "accounts"
    verbose_name = _("Personnes et rôles")

    def ready(self):
        from . import cas  # noqa: F401, PLC0415 (app registry: forgets a CAS session's ticket at logout)
        from . import session_user  # noqa: F401, PLC0415 (app registry: forgets a cached user when saved, in workers too)
