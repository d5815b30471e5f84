"""allauth adapters: no open sign-up; accounts come from the roster or from admins;
the client address behind the university's reverse proxy."""

import ipaddress
import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from .models import Student, User

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
    """University SSO: let in only people the office knows (an existing user, or a
    roster student whose email the identity provider vouches for)."""

    def is_open_for_signup(self, request, sociallogin):
        email = (sociallogin.user.email or "").lower()
        if not email:
            return False
        return (
            User.objects.filter(email__iexact=email).exists()
            or Student.objects.filter(email__iexact=email, user__isnull=True).exists()
        )

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        Student.objects.filter(email__iexact=user.email, user__isnull=True).update(user=user)
        return user
