"""allauth adapters: no open sign-up; accounts come from the roster or from admins;
the client address behind the university's reverse proxy."""

import ipaddress
import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext as _

from .cas import cas_logout_url
from .models import Student
from .university_login import known_person, password_login_allowed

logger = logging.getLogger(__name__)


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
        return any(
            ip in ipaddress.ip_network(network, strict=False)
            for network in settings.TRUSTED_PROXIES
        )
    except ValueError:
        return False


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Students activate their account from the roster (accounts:activate);
        # staff and admins are created by an admin.
        return False

    def get_client_ip(self, request):
        """The address the per-address rate limits count.

        allauth reads it from ``X-Forwarded-For`` (``ALLAUTH_TRUSTED_PROXY_COUNT``) or
        from ``ALLAUTH_TRUSTED_CLIENT_IP_HEADER``; here such headers are believed only
        from ``TRUSTED_PROXIES`` when that is set, and a header that is missing or
        shorter than the proxy chain falls back to the connecting address (never a
        500 or a 403).
        """
        remote = request.META.get("REMOTE_ADDR", "")
        if settings.TRUSTED_PROXIES and not _is_trusted_proxy(remote):
            return remote
        try:
            return super().get_client_ip(request)
        except (ImproperlyConfigured, PermissionDenied):
            logger.warning("Adresse du client illisible dans les en-têtes du proxy : %s", remote)
            return remote

    def pre_authenticate(self, request, **credentials):
        # PASSWORD_LOGIN=off: no password opens a session, whatever posts it
        if not password_login_allowed(request):
            raise forms.ValidationError(
                _("La connexion par mot de passe est désactivée : connectez-vous avec l'ENT.")
            )
        super().pre_authenticate(request, **credentials)

    def get_logout_redirect_url(self, request):
        """After logging out of a CAS login, the CAS server's logout (single logout)."""
        return cas_logout_url(request) or super().get_logout_redirect_url(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """University SSO: let in only people the office knows (an existing user, or a
    roster student whose email the identity provider vouches for)."""

    def is_open_for_signup(self, request, sociallogin):
        # the rule of every university login (university_login.py); others see
        # account/signup_closed.html
        return known_person(email=sociallogin.user.email or "") is not None

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        Student.objects.filter(email__iexact=user.email, user__isnull=True).update(user=user)
        return user
