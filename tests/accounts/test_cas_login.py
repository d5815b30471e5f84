"""CAS login against a CAS server on loopback (tests/accounts/fake_cas.py): the Django
test client follows the redirects, the ticket is validated over real HTTP."""

import socket
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_cas_ng.models import SessionTicket

from pixoffice.accounts.models import Student, User
from tests.accounts.fake_cas import fake_cas_fixture  # noqa: F401 (the fake_cas fixture)
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def cas_login(client, fake_cas, next_url=""):
    """The login page's « Se connecter avec l'ENT » → the CAS server → back with a
    ticket; returns the response to the ticket."""
    page = client.get(reverse("account_login") + (f"?next={next_url}" if next_url else ""))
    assert "Se connecter avec l'ENT" in page.content.decode()
    to_cas = client.post(reverse("cas_login"), {"next": next_url} if next_url else {})
    assert to_cas.status_code == 302 and to_cas.url.startswith(fake_cas.url + "login?service=")
    back = requests.get(to_cas.url, allow_redirects=False, timeout=5)
    assert back.status_code == 302
    parts = urlsplit(back.headers["Location"])
    assert parts.netloc == "testserver"
    return client.get(f"{parts.path}?{parts.query}")


@pytest.mark.parametrize(
    ("version", "endpoint"), [("2", "/serviceValidate"), ("3", "/p3/serviceValidate")]
)
def test_a_roster_student_logs_in_by_student_number(
    client, programmes, fake_cas, settings, version, endpoint
):
    settings.CAS_VERSION = version
    student = StudentFactory(student_number="03201590", email="heloise.legoff@etu.univ-exemple.fr")
    fake_cas.log_in_as("hlegoff", supannEtuId="03201590", mail="h.legoff@univ-exemple.fr")

    landed = cas_login(client, fake_cas)

    assert landed.status_code == 302
    assert [(path, user) for path, _ticket, user in fake_cas.validations] == [(endpoint, "hlegoff")]
    student.refresh_from_db()
    assert student.user.email == "heloise.legoff@etu.univ-exemple.fr"  # the roster's
    assert int(client.session[SESSION_KEY]) == student.user.pk
    assert client.get(landed.url, follow=True).redirect_chain[-1][0] == reverse(
        "portal:student_home"
    )


def test_a_roster_student_logs_in_by_email_and_the_account_is_linked(client, programmes, fake_cas):
    student = StudentFactory(student_number="42", email="vrai@etu.univ-exemple.fr")
    fake_cas.log_in_as("vrai", mail="VRAI@etu.univ-exemple.fr")

    cas_login(client, fake_cas)

    student.refresh_from_db()
    assert student.user is not None and not student.user.has_usable_password()
    assert int(client.session[SESSION_KEY]) == student.user.pk
    # a second login opens the same account
    client.logout()
    fake_cas.log_in_as("vrai", mail="vrai@etu.univ-exemple.fr")
    cas_login(client, fake_cas)
    assert User.objects.filter(email="vrai@etu.univ-exemple.fr").count() == 1


def test_staff_log_in_by_email_given_as_the_cas_user(client, people, fake_cas, settings):
    settings.SSO_CAS_EMAIL_ATTRIBUTE = "user"
    fake_cas.log_in_as("equipe@univ-exemple.fr")

    landed = cas_login(client, fake_cas, next_url="/equipe/")

    assert landed.status_code == 302 and landed.url == "/equipe/"
    assert int(client.session[SESSION_KEY]) == people["staff"].pk


def test_a_deactivated_account_is_refused(client, people, fake_cas):
    people["staff"].is_active = False
    people["staff"].save()
    fake_cas.log_in_as("equipe", mail="equipe@univ-exemple.fr")

    refused = cas_login(client, fake_cas)

    assert refused.status_code == 403
    assert SESSION_KEY not in client.session


def test_an_unknown_person_sees_a_french_page_and_no_account_is_made(client, people, fake_cas):
    StudentFactory(student_number="03201590")
    users = User.objects.count()
    fake_cas.log_in_as("intrus", supannEtuId="99999999", mail="intrus@univ-exemple.fr")

    refused = cas_login(client, fake_cas)

    assert refused.status_code == 403
    page = refused.content.decode()
    assert "Accès réservé aux étudiants inscrits et à l'équipe" in page
    assert "aucun compte n'a été créé" in page
    assert User.objects.count() == users
    assert SESSION_KEY not in client.session
    assert not SessionTicket.objects.exists()


def test_a_forged_or_replayed_ticket_is_refused(client, programmes, fake_cas):
    StudentFactory(student_number="03201590")
    fake_cas.log_in_as("hlegoff", supannEtuId="03201590")

    forged = client.get(reverse("cas_login") + "?next=%2F&ticket=ST-forged")

    assert forged.status_code == 403
    assert "Connexion par l'ENT impossible" in forged.content.decode()
    assert SESSION_KEY not in client.session
    # a genuine ticket, used once, then replayed from another browser
    cas_login(client, fake_cas)
    ticket, service = fake_cas.issued[-1]
    other = client.__class__()
    replayed = other.get(urlsplit(service).path, {"next": "/", "ticket": ticket})
    assert replayed.status_code == 403
    assert SESSION_KEY not in other.session
    assert Student.objects.get().user is not None  # the first login went through


def test_a_ticket_issued_for_another_service_is_refused(client, programmes, fake_cas):
    StudentFactory(student_number="03201590")
    fake_cas.log_in_as("hlegoff", supannEtuId="03201590")
    ticket = fake_cas.issue("https://autre-service.univ-exemple.fr/")

    answer = client.get(reverse("cas_login"), {"next": "/", "ticket": ticket})

    assert answer.status_code == 403
    assert SESSION_KEY not in client.session


def test_a_next_page_off_the_site_is_refused(client, fake_cas):
    answer = client.post(reverse("cas_login"), {"next": "https://ailleurs.example/"})

    assert answer.status_code == 400


@pytest.mark.parametrize(("version", "param"), [("2", "url"), ("3", "service")])
def test_logging_out_goes_on_to_the_cas_logout(
    client, programmes, fake_cas, settings, version, param
):
    settings.CAS_VERSION = version
    StudentFactory(student_number="03201590")
    fake_cas.log_in_as("hlegoff", supannEtuId="03201590")
    cas_login(client, fake_cas)
    assert SessionTicket.objects.count() == 1

    out = client.post(reverse("account_logout"))

    assert out.status_code == 302
    parts = urlsplit(out.url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == fake_cas.url + "logout"
    assert parse_qs(parts.query) == {param: ["http://testserver/comptes/login/"]}
    assert SESSION_KEY not in client.session
    assert not SessionTicket.objects.exists()


def test_a_password_logout_stays_on_the_site(client, people, password, fake_cas):
    client.post(reverse("account_login"), {"login": "equipe@univ-exemple.fr", "password": password})

    out = client.post(reverse("account_logout"))

    assert out.url == reverse("account_login")


def test_single_logout_from_the_cas_server_ends_that_session_only(client, programmes, fake_cas):
    StudentFactory(student_number="03201590")
    StudentFactory(student_number="03201591")
    fake_cas.log_in_as("hlegoff", supannEtuId="03201590")
    cas_login(client, fake_cas)
    ticket, service = fake_cas.issued[-1]
    other = client.__class__()
    fake_cas.log_in_as("autre", supannEtuId="03201591")
    cas_login(other, fake_cas)
    assert SESSION_KEY in client.session and SESSION_KEY in other.session

    cas_server = client.__class__()  # the CAS server posts, without a cookie or a CSRF token
    cas_server.handler.enforce_csrf_checks = True
    answer = cas_server.post(
        urlsplit(service).path + "?next=%2F", {"logoutRequest": fake_cas.logout_request(ticket)}
    )

    assert answer.status_code == 200
    assert client.get(reverse("portal:home")).status_code == 302  # back to the login page
    assert SESSION_KEY not in client.session
    assert SESSION_KEY in other.session
    assert SessionTicket.objects.count() == 1


def test_a_hostile_logout_request_ends_nothing(client, programmes, fake_cas):
    StudentFactory(student_number="03201590")
    fake_cas.log_in_as("hlegoff", supannEtuId="03201590")
    cas_login(client, fake_cas)
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">'
        "<samlp:SessionIndex>&b;</samlp:SessionIndex></samlp:LogoutRequest>"
    )

    for body in (bomb, "pas du XML", fake_cas.logout_request("ST-inconnu")):
        assert (
            client.__class__().post(reverse("cas_login"), {"logoutRequest": body}).status_code
            == 200
        )

    assert SESSION_KEY in client.session


def test_the_cas_login_answers_404_when_cas_is_not_configured(client, settings):
    settings.SSO_CAS_SERVER_URL = ""

    assert client.get(reverse("cas_login")).status_code == 404


def test_a_cas_server_that_does_not_answer_is_a_french_page_not_a_hung_worker(
    client, programmes, settings
):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts connections, never answers
    settings.SSO_CAS_SERVER_URL = settings.CAS_SERVER_URL = (
        f"http://127.0.0.1:{silent.getsockname()[1]}/cas/"
    )
    settings.SSO_CAS_TIMEOUT = 0.5
    try:
        started = time.monotonic()
        answer = client.get(reverse("cas_login"), {"next": "/", "ticket": "ST-1"})
        assert time.monotonic() - started < 5
    finally:
        silent.close()

    assert answer.status_code == 403
    assert "Connexion par l'ENT impossible" in answer.content.decode()
