"""allauth adapters: no open sign-up; accounts come from the roster or from admins;
the client address behind the university's reverse proxy."""

import ipaddress
import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import saml_login
from .cas import cas_logout_url
from .university_login import account_of_known_person, password_login_allowed

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
    """University single sign-on (OpenID Connect, SAML): only people the office knows
    get in (``university_login.account_of_known_person``, the rule CAS follows too: a
    roster student by number or email, staff by email); the login is then tied to
    their account. Anyone else sees
    « accès réservé » and no account is made: nobody signs up through the SSO."""

    def pre_social_login(self, request, sociallogin):
        if sociallogin.is_existing or sociallogin.state.get("process") == AuthProcess.CONNECT:
            return  # a login already tied to an account, or a signed-in user linking one
        email = sociallogin.user.email or ""
        user = account_of_known_person(
            email=email, student_number=saml_login.student_number(sociallogin)
        )
        if user is None:
            logger.info(
                "Connexion %s refusée : personne inconnue (%s)", sociallogin.account.provider, email
            )
            raise ImmediateHttpResponse(
                render(request, "account/signup_closed.html", {"email": email}, status=403)
            )
        sociallogin.connect(request, user)

    def authenticate_by_email(self, sociallogin):
        # who an email opens is account_of_known_person's to say (pre_social_login),
        # verified or not; allauth's own lookup would also wipe the password of a staff
        # member whose address it never verified
        return None

    def is_open_for_signup(self, request, sociallogin):
        # pre_social_login either tied the login to a known account or refused it
        return False
