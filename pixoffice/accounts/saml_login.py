"""SAML login (the RENATER federation): whether it is configured, where it starts, and
the student number an assertion carries.

The app itself comes from the settings (``pixoffice/settings/saml.py``); who may get
in is decided by ``adapters.SocialAccountAdapter`` for every university login alike.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.saml import views as saml_views
from allauth.socialaccount.providers.saml.utils import get_app_or_404
from lxml import etree

PROVIDER = "saml"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoginEntry:
    """One button of the login page: its label and where it leads."""

    label: str
    url: str


def saml_login_entry(request) -> LoginEntry | None:
    """The login page's entry for the SAML IdP, or ``None`` when none is configured."""
    apps = get_adapter().list_apps(request, provider=PROVIDER)
    if not apps:
        return None
    provider = apps[0].get_provider(request)
    return LoginEntry(label=provider.name, url=provider.get_login_url(request))


def student_number(sociallogin) -> str:
    """The student number (``supannEtuId`` by default) of a SAML login, else ``""``.

    allauth keeps the released attributes as they came (``extra_data``: name → values);
    the attribute read is the app's ``attribute_mapping["student_number"]``.
    """
    if sociallogin.account.provider != PROVIDER:
        return ""
    provider = sociallogin.account.get_provider()
    names = provider.app.settings.get("attribute_mapping", {}).get("student_number", [])
    attributes = sociallogin.account.extra_data or {}
    for name in [names] if isinstance(names, str) else names:
        values = [str(v).strip() for v in attributes.get(name) or [] if str(v).strip()]
        if values:
            return values[0]
    return ""


def finish_acs(request, organization_slug):
    """allauth's end of the ACS, where a response that is not XML at all (or carries a
    DTD) is refused like a bad signature instead of answering 500 (allauth catches
    only python3-saml's own errors). Routed before ``allauth.urls`` in ``pixoffice/urls.py``."""
    try:
        return saml_views.finish_acs(request, organization_slug=organization_slug)
    except (etree.LxmlError, ValueError) as error:
        logger.warning("Réponse SAML illisible refusée : %s", error)
        provider = get_app_or_404(request, organization_slug).get_provider(request)
        return render_authentication_error(request, provider)
