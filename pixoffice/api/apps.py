from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The read-only API for the university's information system (tokens per integration).

    The top floor beside privacy: it reads from every app.
    """

    name = "pixoffice.api"
    label = "api"
    verbose_name = _("API")
