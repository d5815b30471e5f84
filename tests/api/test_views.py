"""The admins' page of API tokens: GET and POST per role, the secret shown once."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management.base import CommandError
from django.urls import reverse

from pixoffice.api import tokens
from pixoffice.api.models import ApiToken
from tests.factories.api import bearer, make_token

pytestmark = pytest.mark.django_db
LIST, CREATE = reverse("api:token_list"), reverse("api:token_create")


def revoke_url(token):
    return reverse("api:token_revoke", kwargs={"pk": token.pk})


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("student_a", 403), ("staff", 403), ("admin", 200)],
)
def test_pages_per_role(role, expected, client, people, programmes):
    token = make_token([programmes["L2 Histoire"]])
    if role != "anonymous":
        client.force_login(people[role])
    histoire = programmes["L2 Histoire"].pk

    assert client.get(LIST).status_code == expected
    assert client.get(CREATE).status_code == expected
    assert client.get(revoke_url(token)).status_code == (405 if expected == 200 else expected)
    created = client.post(CREATE, {"name": "Intrus", "programmes": [histoire]})
    revoked = client.post(revoke_url(token))

    if role == "admin":
        assert created.status_code == 200 and revoked.status_code == 302
        assert ApiToken.objects.filter(name="Intrus").exists()
        token.refresh_from_db()
        assert token.revoked_at is not None and token.revoked_by == people["admin"]
    else:
        assert (created.status_code, revoked.status_code) == (expected, expected)
        assert not ApiToken.objects.filter(name="Intrus").exists()
        token.refresh_from_db()
        assert token.revoked_at is None


def test_an_admin_creates_a_token_and_sees_its_secret_once(client, people, programmes):
    client.force_login(people["admin"])
    histoire = programmes["L2 Histoire"]

    page = client.post(
        CREATE, {"name": "Pégase", "programmes": [histoire.pk], "expires_on": "2099-06-30"}
    )

    secret = page.context["secret"]
    token = ApiToken.objects.get(name="Pégase")
    assert secret in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert token.secret_hash == tokens.hash_secret(secret) and token.created_by == people["admin"]
    assert list(token.programmes.all()) == [histoire]
    # valid through 30 June, Paris time
    assert token.expires_at == dt.datetime(2099, 7, 1, tzinfo=ZoneInfo("Europe/Paris"))
    listed = client.get(LIST).content.decode()
    assert secret not in listed and token.prefix in listed
    client.logout()
    assert client.get(reverse("api:v1:programmes"), **bearer(secret)).status_code == 200


def test_a_token_needs_a_programme_and_a_future_date(client, people):
    client.force_login(people["admin"])

    page = client.post(CREATE, {"name": "Pégase", "expires_on": "2001-01-01"})

    assert page.status_code == 200 and not ApiToken.objects.exists()
    assert set(page.context["form"].errors) == {"programmes", "expires_on"}


def test_a_revoked_token_answers_401_at_once(client, people, programmes):
    token = make_token([programmes["L2 Histoire"]])
    client.force_login(people["admin"])

    client.post(revoke_url(token))
    client.logout()

    assert client.get(reverse("api:v1:programmes"), **bearer(token)).status_code == 401
    assert "Révoqué le" in client_as(client, people["admin"]).get(LIST).content.decode()


def client_as(client, user):
    client.force_login(user)
    return client


def test_the_command_creates_a_token(command, programmes):
    code, out, err = command("create_api_token", "--name", "Pégase", "--programme", "L2 Histoire")

    token = ApiToken.objects.get()
    assert code == 0 and token.secret_hash == tokens.hash_secret(out.strip())
    assert "L2 Histoire" in err
    with pytest.raises(CommandError, match="Formation inconnue : L3 Inconnue"):
        command("create_api_token", "--name", "X", "--programme", "L3 Inconnue")
    assert ApiToken.objects.count() == 1
