import re

import pytest
from django.core import mail
from django.urls import reverse

from pixoffice.accounts.models import User
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.fixture
def activate(client, django_capture_on_commit_callbacks):
    """Ask for an activation link; the lookup and the mail happen after the response."""

    def post(identifier):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:activate"), {"identifier": identifier})

    return post


def test_login_with_email_and_password_lands_on_the_role_home(client, people, password):
    response = login(client, "equipe@univ-exemple.fr", password)

    assert response.status_code == 302
    assert client.get(response.url, follow=True).redirect_chain[-1][0] == reverse(
        "portal:staff_home"
    )


def test_failed_logins_are_rate_limited_per_account(client, people, password):
    for _ in range(5):
        assert login(client, "equipe@univ-exemple.fr", "mauvais").status_code == 200

    blocked = login(client, "equipe@univ-exemple.fr", password)

    assert blocked.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_open_signup_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "inconnu@exemple.fr",
            "password1": "Tr3s-long-mdp!",
            "password2": "Tr3s-long-mdp!",
        },
    )

    assert response.status_code == 200
    assert not User.objects.filter(email="inconnu@exemple.fr").exists()


def test_roster_student_activates_an_account_by_number_and_sets_a_password(
    client, programmes, activate
):
    student = StudentFactory(student_number="03201590", email="heloise.legoff@etu.univ-exemple.fr")

    page = activate("03201590")

    assert page.status_code == 200
    assert [m.to for m in mail.outbox] == [["heloise.legoff@etu.univ-exemple.fr"]]
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(
        set_url,
        {"password1": "Un-mot-de-passe-solide-42", "password2": "Un-mot-de-passe-solide-42"},
    )
    assert done.status_code == 302
    student.refresh_from_db()
    assert student.user.email == "heloise.legoff@etu.univ-exemple.fr"
    assert student.user.check_password("Un-mot-de-passe-solide-42")
    assert (
        login(client, "heloise.legoff@etu.univ-exemple.fr", "Un-mot-de-passe-solide-42").status_code
        == 302
    )


def test_activation_for_someone_not_in_the_roster_sends_nothing_and_says_the_same(
    client, programmes, activate
):
    StudentFactory(student_number="03201590")

    known = activate("03201590")
    unknown = activate("99999999")

    assert len(mail.outbox) == 1
    for page in (known, unknown):
        assert "<h1>Vérifiez votre messagerie universitaire</h1>" in page.content.decode()
    assert User.objects.count() == 1


def test_activation_link_goes_to_the_roster_email_never_a_typed_one(client, programmes, activate):
    StudentFactory(student_number="42", email="vrai@etu.univ-exemple.fr")

    activate("VRAI@etu.univ-exemple.fr")

    assert [m.to for m in mail.outbox] == [["vrai@etu.univ-exemple.fr"]]


def test_sso_provider_appears_on_the_login_page_when_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
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

    page = client.get(reverse("account_login")).content.decode()

    # one university provider: « Se connecter avec l'ENT », a form posting to it
    assert "Se connecter avec l'ENT</button>" in page
    assert 'action="/comptes/oidc/universite/login/' in page
    assert (
        reverse("openid_connect_login", kwargs={"provider_id": "universite"})
        == "/comptes/oidc/universite/login/"
    )
