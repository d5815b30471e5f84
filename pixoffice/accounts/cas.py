"""CAS login (protocol 2 or 3) through django-cas-ng, for the people the office knows.

django-cas-ng sends the browser to the CAS server, validates the ticket it brings back
(``serviceValidate`` or ``p3/serviceValidate``) and keeps which session each ticket
opened (``SessionTicket``); here the CAS user and attributes are matched against the
office's people (``university_login``), a refusal gets a French page, the CAS
server's single-logout request ends the session it names, and logging out of a CAS
session goes on to the CAS server's ``/logout``.
"""

import logging
from urllib.parse import urljoin
from xml.etree.ElementTree import ParseError

import requests
from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_out
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django_cas_ng import views as cas_views
from django_cas_ng.backends import CASBackend as LibraryCASBackend
from django_cas_ng.models import ProxyGrantingTicket, SessionTicket
from django_cas_ng.utils import RedirectException, get_cas_client

from .university_login import account_of_known_person

logger = logging.getLogger(__name__)

BACKEND_PATH = "pixoffice.accounts.cas.CASBackend"
SAML_PROTOCOL = "{urn:oasis:names:tc:SAML:2.0:protocol}"
REFUSED = "university_login_refused"  # set on the request when the person is unknown


def _values(cas_user: str, attributes: dict, name: str) -> list[str]:
    """The values the CAS server gave for ``name`` (``user``: the CAS user)."""
    if not name:
        return []
    if name == "user":
        return [cas_user]
    found = attributes.get(name)
    found = found if isinstance(found, list) else [found]
    return [str(value).strip() for value in found if value]


class ValidationSession(requests.Session):
    """Ticket validation never waits on the CAS server for longer than
    ``SSO_CAS_TIMEOUT`` seconds (python-cas sets no timeout)."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", settings.SSO_CAS_TIMEOUT)
        return super().request(*args, **kwargs)


class CASBackend(LibraryCASBackend):
    """A valid CAS ticket opens the account of a known person, nobody else's.

    The CAS user or an attribute carries the student number
    (``SSO_CAS_STUDENT_NUMBER_ATTRIBUTE``) or the email (``SSO_CAS_EMAIL_ATTRIBUTE``);
    no account is created for someone the office does not know.
    """

    def authenticate(self, request, ticket, service):
        client = get_cas_client(service_url=service, request=request)
        client.session = ValidationSession()
        try:
            cas_user, attributes, _pgtiou = client.verify_ticket(ticket)
        except (requests.RequestException, ParseError, IndexError, AttributeError) as error:
            logger.warning("Validation du ticket CAS impossible : %r", error)
            return None
        if not cas_user:
            return None  # refused by the CAS server: invalid, expired or forged ticket
        attributes = attributes or {}
        user = None
        for number in _values(cas_user, attributes, settings.SSO_CAS_STUDENT_NUMBER_ATTRIBUTE):
            user = user or account_of_known_person(student_number=number)
        for email in _values(cas_user, attributes, settings.SSO_CAS_EMAIL_ATTRIBUTE):
            user = user or account_of_known_person(email=email)
        if user is None:
            logger.info("Connexion CAS refusée à une personne inconnue : %s", cas_user)
            if request is not None:
                setattr(request, REFUSED, True)
            return None
        return user if self.user_can_authenticate(user) else None


def end_sessions_of(logout_request: str) -> int:
    """Single logout: end the sessions the CAS server's ``logoutRequest`` names (its
    ``SessionIndex`` is the service ticket that opened them). Parsed without entity
    expansion; returns how many sessions ended."""
    try:
        root = SafeElementTree.fromstring(logout_request)
    except (ParseError, DefusedXmlException):
        return 0
    tickets = {
        index.text.strip() for index in root.iter(f"{SAML_PROTOCOL}SessionIndex") if index.text
    }
    ended = 0
    for session_ticket in SessionTicket.objects.filter(ticket__in=tickets):
        cas_views.SessionStore(session_key=session_ticket.session_key).delete()
        ProxyGrantingTicket.objects.filter(session_key=session_ticket.session_key).delete()
        session_ticket.delete()
        ended += 1
    return ended


class LoginView(cas_views.LoginView):
    """``comptes/cas/login/``: off to the CAS server, back with a ticket; the CAS
    server's single-logout requests are posted here too."""

    @method_decorator(csrf_exempt)  # the CAS server posts its logout requests without a token
    def dispatch(self, request, *args, **kwargs):
        if not settings.SSO_CAS_SERVER_URL:
            raise Http404
        try:
            return super().dispatch(request, *args, **kwargs)
        except RedirectException:  # a ``next`` off this site
            return render(request, "accounts/cas_failed.html", status=400)

    def post(self, request):
        if "logoutRequest" in request.POST:
            end_sessions_of(request.POST["logoutRequest"])
            return HttpResponse("ok", content_type="text/plain")
        return super().post(request)

    def get(self, request):
        try:
            return super().get(request)
        except PermissionDenied:
            if getattr(request, REFUSED, False):
                return render(request, "account/signup_closed.html", status=403)
            return render(request, "accounts/cas_failed.html", status=403)


def cas_logout_url(request) -> str | None:
    """Where logging out of a CAS session goes: the CAS server's ``/logout``, which
    sends the browser back to the login page (protocol 3: ``service``, 2: ``url``)."""
    if not settings.SSO_CAS_SERVER_URL:
        return None
    if request.session.get(BACKEND_SESSION_KEY) != BACKEND_PATH:
        return None
    login_page = reverse("account_login")
    if settings.CAS_ROOT_PROXIED_AS:
        back = urljoin(settings.CAS_ROOT_PROXIED_AS, login_page)
    else:
        back = request.build_absolute_uri(login_page)
    return get_cas_client(request=request).get_logout_url(back)


@receiver(user_logged_out, dispatch_uid="accounts.cas.forget_session_ticket")
def forget_session_ticket(sender, request, **kwargs):
    """A session that logged out here no longer needs the CAS server's ticket."""
    session = getattr(request, "session", None)
    if session and session.session_key and session.get(BACKEND_SESSION_KEY) == BACKEND_PATH:
        SessionTicket.objects.filter(session_key=request.session.session_key).delete()
