"""SAML login (the RENATER federation) against a test IdP made here: its key and
certificate are generated at test time, its metadata is read from a file, its
responses are signed with python3-saml (tests/accounts/saml_idp.py)."""

from datetime import timedelta

import environ
import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse
from lxml import etree

from pixoffice.accounts.models import Role, Student, User
from pixoffice.accounts.saml_login import saml_login_entry
from pixoffice.settings.saml import saml_app
from tests.accounts.saml_idp import (
    EPPN,
    GIVEN_NAME,
    MAIL,
    SUPANN_ETU_ID,
    SURNAME,
    TestIdP,
    authn_request_id,
    key_and_certificate,
)
from tests.factories import StaffFactory, StudentFactory

pytestmark = pytest.mark.django_db

SP_ENTITY_ID = "https://pix.univ-exemple.fr/comptes/saml/renater/metadata/"
HOST = "pix.univ-exemple.fr"  # python3-saml refuses single-label hosts (testserver)
ACS_URL = f"http://{HOST}/comptes/saml/renater/acs/"
LOGIN_URL = "/comptes/saml/renater/login/"


@pytest.fixture
def idp():
    return TestIdP.make(sp_entity_id=SP_ENTITY_ID, acs_url=ACS_URL)


@pytest.fixture
def configure(settings, monkeypatch, tmp_path, idp):
    """Configure the SAML app from the environment, as the settings do."""

    def apply(**variables):
        metadata = tmp_path / "idp-metadata.xml"
        metadata.write_text(idp.metadata())
        environment = {
            "SSO_SAML_IDP_ENTITY_ID": idp.entity_id,
            "SSO_SAML_IDP_METADATA_FILE": str(metadata),
            "SSO_SAML_SP_ENTITY_ID": SP_ENTITY_ID,
            **variables,
        }
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        settings.SOCIALACCOUNT_PROVIDERS = {"saml": {"APPS": [saml_app(environ.Env())]}}

    return apply


@pytest.fixture
def saml(configure):
    configure()


@pytest.fixture
def browser(settings):
    # a browser always sends Host; python3-saml checks the ACS URL against it
    settings.ALLOWED_HOSTS = [HOST]
    return Client(headers={"host": HOST})


def start_login(browser) -> str:
    """Click the SAML button: the SP's AuthnRequest, whose ID the response must answer."""
    redirect = browser.post(LOGIN_URL)
    assert redirect.status_code == 302
    assert redirect.url.startswith("https://idp.univ-exemple.fr/idp/profile/SAML2/Redirect/SSO?")
    return authn_request_id(redirect.url)


def post_to_acs(browser, idp, xml):
    """The IdP's auto-submitted form to the ACS, then allauth's redirect that finishes."""
    posted = browser.post("/comptes/saml/renater/acs/", idp.post_data(xml))
    assert posted.status_code == 302
    assert posted.url == "/comptes/saml/renater/acs/finish/"
    return browser.get(posted.url)


def attributes(*, eppn, mail=None, number=None):
    values = {EPPN: [eppn], GIVEN_NAME: ["Héloïse"], SURNAME: ["Le Goff"]}
    if mail:
        values[MAIL] = [mail]
    if number:
        values[SUPANN_ETU_ID] = [number]
    return values


def signed_in_user(browser):
    return browser.session.get("_auth_user_id")


def test_roster_student_logs_in_by_student_number_and_gets_the_roster_account(
    saml, browser, idp, programmes
):
    student = StudentFactory(student_number="03201590", email="heloise.legoff@etu.univ-exemple.fr")
    request_id = start_login(browser)
    xml = idp.response(
        # the IdP's mail is an alias: the number is what identifies her
        attributes(
            eppn="hlegoff@univ-exemple.fr", mail="h.legoff@univ-exemple.fr", number="03201590"
        ),
        in_response_to=request_id,
    )

    finished = post_to_acs(browser, idp, xml)

    assert finished.status_code == 302
    student.refresh_from_db()
    assert student.user is not None
    assert student.user.email == "heloise.legoff@etu.univ-exemple.fr"  # the roster's
    assert student.user.role == Role.STUDENT
    assert not student.user.has_usable_password()
    assert signed_in_user(browser) == str(student.user.pk)
    account = SocialAccount.objects.get()
    assert (account.provider, account.uid, account.user) == (
        "saml",
        "hlegoff@univ-exemple.fr",
        student.user,
    )
    home = browser.get(finished.url, follow=True)
    assert home.redirect_chain[-1][0] == reverse("portal:student_home")


def test_second_login_reuses_the_account(saml, browser, idp, programmes):
    StudentFactory(student_number="03201590")
    for _ in range(2):
        request_id = start_login(browser)
        xml = idp.response(
            attributes(eppn="hlegoff@univ-exemple.fr", number="03201590"),
            in_response_to=request_id,
        )
        assert post_to_acs(browser, idp, xml).status_code == 302
        browser.logout()

    assert User.objects.count() == 1
    assert SocialAccount.objects.count() == 1


def test_roster_student_without_number_is_found_by_roster_email(saml, browser, idp, programmes):
    student = StudentFactory(student_number="42", email="Vrai@etu.univ-exemple.fr")
    request_id = start_login(browser)
    xml = idp.response(
        attributes(eppn="vrai@univ-exemple.fr", mail="vrai@etu.univ-exemple.fr"),
        in_response_to=request_id,
    )

    assert post_to_acs(browser, idp, xml).status_code == 302

    student.refresh_from_db()
    assert signed_in_user(browser) == str(student.user.pk)


def test_staff_member_is_found_by_email(saml, browser, idp, programmes):
    staff = StaffFactory(email="equipe@univ-exemple.fr", programmes=[programmes["L2 SED"]])
    request_id = start_login(browser)
    xml = idp.response(
        attributes(eppn="equipe@univ-exemple.fr", mail="EQUIPE@univ-exemple.fr"),
        in_response_to=request_id,
    )

    finished = post_to_acs(browser, idp, xml)

    assert signed_in_user(browser) == str(staff.pk)
    assert browser.get(finished.url, follow=True).redirect_chain[-1][0] == reverse(
        "portal:staff_home"
    )
    staff.refresh_from_db()
    assert staff.has_usable_password()  # the password login still works


def test_unknown_person_is_refused_with_a_clear_page_and_no_account(saml, browser, idp, programmes):
    StudentFactory(student_number="03201590")
    request_id = start_login(browser)
    xml = idp.response(
        attributes(eppn="intrus@univ-exemple.fr", mail="intrus@univ-exemple.fr", number="99999999"),
        in_response_to=request_id,
    )

    page = post_to_acs(browser, idp, xml)

    assert page.status_code == 403
    html = page.content.decode()
    assert "<h1>Accès réservé aux étudiants inscrits et à l'équipe</h1>" in html
    assert "intrus@univ-exemple.fr" in html
    assert "aucun compte n'a été créé" in html
    assert signed_in_user(browser) is None
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
    assert Student.objects.get().user is None


def test_roster_student_without_email_is_refused(saml, browser, idp, programmes):
    StudentFactory(student_number="03201590", email="")
    request_id = start_login(browser)
    xml = idp.response(
        attributes(eppn="x@univ-exemple.fr", number="03201590"), in_response_to=request_id
    )

    assert post_to_acs(browser, idp, xml).status_code == 403
    assert not User.objects.exists()


def refused(browser, page):
    assert page.status_code == 401
    assert "<h1>La connexion avec votre compte universitaire a échoué</h1>" in page.content.decode()
    assert signed_in_user(browser) is None
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()


def test_attribute_changed_after_signing_is_refused(saml, browser, idp, programmes):
    StudentFactory(student_number="03201590")
    request_id = start_login(browser)
    xml = idp.response(
        attributes(eppn="intrus@univ-exemple.fr", number="11111111"), in_response_to=request_id
    )
    tampered = xml.replace(">11111111<", ">03201590<")
    assert tampered != xml

    refused(browser, post_to_acs(browser, idp, tampered))


def test_response_signed_with_another_key_is_refused(saml, browser, idp, programmes):
    StudentFactory(student_number="03201590")
    request_id = start_login(browser)
    xml = idp.response(
        attributes(eppn="hlegoff@univ-exemple.fr", number="03201590"),
        in_response_to=request_id,
        signed_by=key_and_certificate("idp.univ-exemple.fr"),  # same name, not its key
    )

    refused(browser, post_to_acs(browser, idp, xml))


def test_unsigned_response_is_refused(saml, browser, idp, programmes):
    StudentFactory(student_number="03201590")
    request_id = start_login(browser)
    xml = idp.response(
        attributes(eppn="hlegoff@univ-exemple.fr", number="03201590"),
        in_response_to=request_id,
        sign=False,
    )

    refused(browser, post_to_acs(browser, idp, xml))


@pytest.mark.parametrize(
    "xml",
    [
        "ceci n'est pas du XML",
        '<!DOCTYPE r [<!ENTITY x "x">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>',
    ],
)
def test_unreadable_response_is_refused_not_a_server_error(saml, browser, idp, xml, programmes):
    start_login(browser)

    refused(browser, post_to_acs(browser, idp, xml))


def test_idp_initiated_response_is_refused(saml, browser, idp, programmes):
    """An assertion the SP never asked for (IdP-initiated) is refused."""
    StudentFactory(student_number="03201590")
    xml = idp.response(
        attributes(eppn="hlegoff@univ-exemple.fr", number="03201590"), in_response_to=None
    )

    refused(browser, post_to_acs(browser, idp, xml))


def test_response_to_another_browsers_request_is_refused(saml, browser, idp, programmes):
    """A response answering a request this browser never sent (replayed, or stolen
    from another session) is refused: allauth finds no matching state."""
    StudentFactory(student_number="03201590")
    other = Client(headers={"host": HOST})
    request_id = start_login(other)
    start_login(browser)
    xml = idp.response(
        attributes(eppn="hlegoff@univ-exemple.fr", number="03201590"), in_response_to=request_id
    )

    page = post_to_acs(browser, idp, xml)

    assert page.status_code == 403
    assert signed_in_user(browser) is None
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()


def test_response_for_another_service_is_refused(saml, browser, idp, programmes):
    StudentFactory(student_number="03201590")
    request_id = start_login(browser)
    idp.sp_entity_id = "https://autre-service.univ-exemple.fr/shibboleth"
    xml = idp.response(
        attributes(eppn="hlegoff@univ-exemple.fr", number="03201590"), in_response_to=request_id
    )

    refused(browser, post_to_acs(browser, idp, xml))


def test_expired_response_is_refused(saml, browser, idp, programmes):
    StudentFactory(student_number="03201590")
    request_id = start_login(browser)
    xml = idp.response(
        attributes(eppn="hlegoff@univ-exemple.fr", number="03201590"),
        in_response_to=request_id,
        issued_ago=timedelta(minutes=20),  # valid 5 minutes, plus python3-saml's drift
    )

    refused(browser, post_to_acs(browser, idp, xml))


def test_sp_metadata_is_served_at_a_stable_url(saml, browser):
    assert reverse("saml_metadata", kwargs={"organization_slug": "renater"}) == (
        "/comptes/saml/renater/metadata/"
    )

    response = browser.get("/comptes/saml/renater/metadata/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    assert root.get("entityID") == SP_ENTITY_ID
    [acs] = root.iter("{urn:oasis:names:tc:SAML:2.0:metadata}AssertionConsumerService")
    assert acs.get("Location") == ACS_URL
    assert acs.get("Binding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"


def test_sp_certificate_is_published_and_encrypted_assertions_are_read(
    configure, tmp_path, browser, idp, programmes
):
    sp_key, sp_certificate = key_and_certificate("pix.univ-exemple.fr")
    (tmp_path / "sp.key").write_text(sp_key)
    (tmp_path / "sp.crt").write_text(sp_certificate)
    configure(
        SSO_SAML_SP_CERT_FILE=str(tmp_path / "sp.crt"),
        SSO_SAML_SP_KEY_FILE=str(tmp_path / "sp.key"),
    )
    body = "".join(line for line in sp_certificate.splitlines() if "CERTIFICATE" not in line)

    metadata = browser.get("/comptes/saml/renater/metadata/").content.decode()

    assert 'AuthnRequestsSigned="true"' in metadata
    assert 'use="signing"' in metadata
    assert 'use="encryption"' in metadata
    assert body in metadata

    student = StudentFactory(student_number="03201590")
    idp.encrypt_for = sp_certificate
    request_id = start_login(browser)
    xml = idp.response(
        attributes(eppn="hlegoff@univ-exemple.fr", number="03201590"), in_response_to=request_id
    )
    assert "EncryptedAssertion" in xml
    assert "03201590" not in xml

    assert post_to_acs(browser, idp, xml).status_code == 302
    student.refresh_from_db()
    assert signed_in_user(browser) == str(student.user.pk)


def test_login_entry_names_the_button_and_its_url_when_configured(configure, rf, settings):
    settings.ALLOWED_HOSTS = [HOST]
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert saml_login_entry(rf.get("/")) is None

    configure(SSO_SAML_NAME="Compte universitaire (RENATER)")
    entry = saml_login_entry(rf.get("/"))

    assert (entry.label, entry.url) == ("Compte universitaire (RENATER)", LOGIN_URL)


def test_login_page_shows_the_saml_button(saml, browser):
    html = browser.get(reverse("account_login")).content.decode()

    # the only university provider: the button says « ENT », the provider's name shows
    # only beside others (login page, university_login.university_providers)
    assert "Se connecter avec l&#x27;ENT" in html or "Se connecter avec l'ENT" in html
    assert LOGIN_URL in html
