from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data: a student's copy of everything held about them, retention and purge.

    The top floor beside the API: it reads from every app.
    """

    name = "pixoffice.privacy"
    label = "privacy"
    verbose_name = _("Données personnelles")
