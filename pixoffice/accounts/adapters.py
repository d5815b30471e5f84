"""allauth adapters: no open sign-up; accounts come from the roster or from admins;
the client address behind the university's reverse proxy."""

import ipaddress
import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import render

from . import saml_login
from .services import university_login_account

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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """University single sign-on (OpenID Connect, SAML): only people the office knows
    get in (``services.university_login_account``: a roster student by number or
    email, staff by email); the login is then tied to their account. Anyone else sees
    « accès réservé » and no account is made: nobody signs up through the SSO."""

    def pre_social_login(self, request, sociallogin):
        if sociallogin.is_existing or sociallogin.state.get("process") == AuthProcess.CONNECT:
            return  # a login already tied to an account, or a signed-in user linking one
        email = sociallogin.user.email or ""
        user = university_login_account(
            email=email, student_number=saml_login.student_number(sociallogin)
        )
        if user is None:
            logger.info(
                "Connexion %s refusée : personne inconnue (%s)", sociallogin.account.provider, email
            )
            raise ImmediateHttpResponse(
                render(request, "socialaccount/login_refused.html", {"email": email}, status=403)
            )
        sociallogin.connect(request, user)

    def authenticate_by_email(self, sociallogin):
        # who an email opens is university_login_account's to say (pre_social_login),
        # verified or not; allauth's own lookup would also wipe the password of a staff
        # member whose address it never verified
        return None

    def is_open_for_signup(self, request, sociallogin):
        # pre_social_login either tied the login to a known account or refused it
        return False
