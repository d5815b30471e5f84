"""``SocialAccountAdapter``: the OpenID Connect login follows the same rule as the
SAML one (tests/accounts/test_saml_login.py), since both go through it."""

import pytest
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware

from pixoffice.accounts.models import User
from tests.factories import StaffFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def oidc(settings):
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


def oidc_login(rf, email, *, verified=False):
    """What allauth does once the university's OIDC server answered for ``email``."""
    request = rf.get("/comptes/oidc/universite/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    account = SocialAccount(provider="universite", uid="sub-42", extra_data={"email": email})
    sociallogin = SocialLogin(
        user=User(email=email),
        account=account,
        email_addresses=[EmailAddress(email=email, verified=verified, primary=True)],
    )
    sociallogin.state = {"process": "login"}
    with context.request_context(request):
        sociallogin.provider = account.get_provider(request)
        return request, complete_social_login(request, sociallogin)


def test_oidc_roster_student_gets_the_roster_account(oidc, rf, programmes):
    student = StudentFactory(email="heloise@etu.univ-exemple.fr")

    request, response = oidc_login(rf, "Heloise@etu.univ-exemple.fr")

    assert response.status_code == 302
    student.refresh_from_db()
    assert request.session["_auth_user_id"] == str(student.user.pk)
    assert SocialAccount.objects.get().user == student.user


@pytest.mark.parametrize("verified", [False, True])
def test_oidc_staff_by_email_keeps_the_password(oidc, rf, programmes, verified):
    staff = StaffFactory(email="equipe@univ-exemple.fr")

    request, response = oidc_login(rf, "equipe@univ-exemple.fr", verified=verified)

    assert response.status_code == 302
    assert request.session["_auth_user_id"] == str(staff.pk)
    staff.refresh_from_db()
    assert staff.has_usable_password()


def test_oidc_unknown_person_is_refused_and_no_account_made(oidc, rf, programmes):
    _request, response = oidc_login(rf, "intrus@univ-exemple.fr", verified=True)

    assert response.status_code == 403
    assert "Accès réservé aux étudiants inscrits et à l'équipe" in response.content.decode()
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
