"""The login page: the university's login first, the password form as PASSWORD_LOGIN
says (shown, collapsed behind « Connexion par mot de passe (personnel) », off)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from pixoffice.accounts.university_login import UniversityProvider, university_providers

pytestmark = pytest.mark.django_db

ENT_BUTTON = "Se connecter avec l'ENT</button>"
DISCLOSURE = "<summary>Connexion par mot de passe (personnel)</summary>"
PASSWORD_FIELD = 'name="password"'
OIDC = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "universite",
                "name": "Compte universitaire",
                "client_id": "pixoffice",
                "secret": "s3cret",
                "settings": {"server_url": "https://sso.univ-exemple.fr/realms/etu"},
            }
        ]
    }
}


@pytest.fixture
def cas(settings):
    settings.SSO_CAS_SERVER_URL = settings.CAS_SERVER_URL = "https://cas.univ-exemple.fr/cas/"


def login_page(client, **query):
    return client.get(reverse("account_login"), query).content.decode()


def log_in(client, password):
    return client.post(
        reverse("account_login"), {"login": "equipe@univ-exemple.fr", "password": password}
    )


def test_without_a_university_provider_only_the_password_form_shows(client, settings):
    settings.PASSWORD_LOGIN = "off"  # nothing else to log in with: the form stays

    page = login_page(client)

    assert ENT_BUTTON not in page and DISCLOSURE not in page
    assert PASSWORD_FIELD in page


def test_the_ent_button_comes_first_and_the_password_form_is_folded_by_default(client, cas):
    page = login_page(client, next="/equipe/")

    assert page.index(ENT_BUTTON) < page.index(DISCLOSURE) < page.index(PASSWORD_FIELD)
    assert '<form method="post" action="/comptes/cas/login/">' in page
    assert '<input type="hidden" name="next" value="/equipe/">' in page
    assert '<details class="password-login">' in page  # closed


def test_a_failed_password_login_shows_the_form_unfolded(client, cas, people):
    page = log_in(client, "mauvais").content.decode()

    assert '<details class="password-login" open>' in page
    assert 'role="alert"' in page


def test_password_login_shown_beside_the_ent_button(client, cas, settings):
    settings.PASSWORD_LOGIN = "shown"

    page = login_page(client)

    assert page.index(ENT_BUTTON) < page.index(PASSWORD_FIELD)
    assert DISCLOSURE not in page


def test_password_login_off_hides_the_form_and_refuses_a_password(
    client, cas, settings, people, password
):
    settings.PASSWORD_LOGIN = "off"

    page = login_page(client)
    refused = log_in(client, password)

    assert ENT_BUTTON in page
    assert PASSWORD_FIELD not in page and "Mot de passe oublié" not in page
    assert refused.status_code == 403
    assert "La connexion par mot de passe est désactivée" in refused.content.decode()
    assert SESSION_KEY not in client.session


def test_password_login_off_is_enforced_by_the_account_adapter_too(
    rf, cas, settings, people, password
):
    """Whatever view asks allauth to check a password, none opens a session."""
    from allauth.account.adapter import get_adapter
    from django import forms

    settings.PASSWORD_LOGIN = "off"
    request = rf.post("/")

    with pytest.raises(forms.ValidationError):
        get_adapter(request).authenticate(
            request, email="equipe@univ-exemple.fr", password=password
        )


def test_university_providers_lists_cas_then_allauths(rf, cas, settings):
    settings.SOCIALACCOUNT_PROVIDERS = OIDC

    providers = university_providers(rf.get("/"))

    assert providers == [
        UniversityProvider("CAS", "/comptes/cas/login/"),
        UniversityProvider("Compte universitaire", "/comptes/oidc/universite/login/"),
    ]
    label, url = providers[0].label, providers[0].url
    assert (label, url) == ("CAS", "/comptes/cas/login/")


def test_several_providers_are_named_on_their_buttons(client, cas, settings):
    settings.SOCIALACCOUNT_PROVIDERS = OIDC

    page = login_page(client)

    assert "Se connecter avec l'ENT (CAS)</button>" in page
    assert "Se connecter avec l'ENT (Compte universitaire)</button>" in page
    assert 'action="/comptes/oidc/universite/login/"' in page


def test_nobody_signs_up_through_a_university_provider(rf, people, programmes):
    """Who gets in is ``pre_social_login``'s to say with the rule CAS follows
    (university_login.account_of_known_person, tests/accounts/test_adapters.py): it ties
    the login to the known account or refuses it, so allauth's sign-up is never open."""
    from allauth.socialaccount.models import SocialLogin

    from pixoffice.accounts.adapters import SocialAccountAdapter
    from pixoffice.accounts.models import User

    adapter, request = SocialAccountAdapter(), rf.get("/")

    for email in ("equipe@univ-exemple.fr", "intrus@univ-exemple.fr", ""):
        assert not adapter.is_open_for_signup(request, SocialLogin(user=User(email=email)))


def test_the_refusal_page_is_in_french(rf):
    """allauth renders it for an unknown person from OIDC; CAS refusals render it too."""
    from django.template.loader import render_to_string

    page = render_to_string("account/signup_closed.html", request=rf.get("/"))

    assert "Accès réservé aux étudiants inscrits et à l'équipe" in page
