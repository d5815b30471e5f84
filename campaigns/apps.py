from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    """Pix framework, campaigns, Pix Orga result imports (filled by the campaigns issue)."""

    name = "campaigns"
    verbose_name = _("Campagnes Pix")
