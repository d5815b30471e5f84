"""Who gets in: a bearer token only (401 otherwise, a signed-in session included), GET
only (405), at most API_RATE_LIMIT requests per token and window (429, Retry-After)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pixoffice.api import tokens
from pixoffice.api.models import ApiToken
from tests.factories.api import bearer, make_token
from tests.test_url_matrix import all_patterns

pytestmark = pytest.mark.django_db
PROGRAMMES = reverse("api:v1:programmes")


def data_urls():
    """Every data URL of the API (the schema and its page aside), arguments filled."""
    values = {"student_number": "00000000", "code": "NOCAMPAIGN", "pk": 1}
    for name, route, _ in all_patterns():
        if name.startswith("api:v1:") and name not in {
            "api:v1:openapi-json",
            "api:v1:openapi-view",
            "api:v1:api-root",
        }:
            kwargs = {k: v for k, v in values.items() if f"<{k}>" in route or f":{k}>" in route}
            yield reverse(name, kwargs=kwargs)


def test_without_a_token_every_data_url_answers_401(client):
    for url in data_urls():
        answer = client.get(url)
        assert answer.status_code == 401, url
        assert answer["WWW-Authenticate"] == 'Bearer realm="pixoffice"'


def test_a_signed_in_admin_session_opens_nothing(client, people):
    client.force_login(people["admin"])

    assert client.get(PROGRAMMES).status_code == 401


def test_unknown_revoked_and_expired_tokens_answer_401(client, programmes):
    token = make_token([programmes["L2 Histoire"]])
    assert client.get(PROGRAMMES, **bearer(token)).status_code == 200

    assert client.get(PROGRAMMES, **bearer(token.secret + "x")).status_code == 401
    assert client.get(PROGRAMMES, **bearer("not-a-token")).status_code == 401
    assert client.get(PROGRAMMES, HTTP_AUTHORIZATION=token.secret).status_code == 401  # no Bearer
    tokens.revoke_token(token)
    assert client.get(PROGRAMMES, **bearer(token)).status_code == 401

    expired = make_token([programmes["L2 Histoire"]])
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    assert client.get(PROGRAMMES, **bearer(expired)).status_code == 401


def test_every_other_method_answers_405(client, programmes):
    token = make_token([programmes["L2 Histoire"]])
    for url in data_urls():
        for method in ("post", "put", "patch", "delete"):
            answer = getattr(client, method)(url, **bearer(token))
            assert answer.status_code == 405, (method, url)


def test_only_the_hash_of_the_secret_is_stored(programmes):
    created = tokens.create_token(name="Pégase", programmes=[programmes["L2 SED"]])
    row = ApiToken.objects.values().get(pk=created.token.pk)

    assert created.secret.startswith("pxo_") and len(created.secret) > 40
    assert created.secret not in str(row)
    assert row["secret_hash"] == tokens.hash_secret(created.secret)
    assert row["prefix"] == created.secret[:12]


def test_last_use_is_written_at_most_once_a_minute(client, programmes, django_assert_num_queries):
    token = make_token([programmes["L2 Histoire"]], used=False)

    client.get(PROGRAMMES, **bearer(token))
    token.refresh_from_db()
    first = token.last_used_at
    client.get(PROGRAMMES, **bearer(token))
    token.refresh_from_db()

    assert first is not None and token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    client.get(PROGRAMMES, **bearer(token))
    token.refresh_from_db()
    assert token.last_used_at > first


def test_the_rate_limit_is_per_token_with_retry_after(client, programmes, settings):
    settings.API_RATE_LIMIT = "3/m"
    token = make_token([programmes["L2 Histoire"]])
    other = make_token([programmes["L2 Histoire"]], name="Tableau de bord")

    answers = [client.get(PROGRAMMES, **bearer(token)).status_code for _ in range(4)]
    refused = client.get(PROGRAMMES, **bearer(token))

    assert answers == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json() == {"detail": "Trop de requêtes pour ce jeton : réessayez plus tard."}
    assert client.get(PROGRAMMES, **bearer(other)).status_code == 200  # its own count


def test_the_rate_limit_holds_while_redis_is_down(client, programmes, redis_down):
    from django.test import override_settings

    token = make_token([programmes["L2 Histoire"]])

    # not the ``settings`` fixture: its teardown, after redis_down's, would put back
    # the unreachable cache
    with override_settings(API_RATE_LIMIT="2/m"):
        answers = [client.get(PROGRAMMES, **bearer(token)).status_code for _ in range(3)]

    assert answers == [200, 200, 429]  # counted in the per-process fallback


def test_the_openapi_schema_is_served(client):
    schema = client.get(reverse("api:v1:openapi-json"))

    assert schema.status_code == 200
    body = schema.json()
    assert body["info"]["title"] == "pixoffice"
    assert "/api/v1/students/{student_number}/notes" in body["paths"]
    assert set(body["paths"]["/api/v1/notes"]) == {"get"}
    note = body["components"]["schemas"]["NoteOut"]["properties"]
    assert note["published_at"]["format"] == "date-time"
    assert (
        "BearerAuth" in str(body["components"]["securitySchemes"])
        or body["components"]["securitySchemes"]
    )


def test_the_docs_page_runs_no_inline_script(client):
    page = client.get(reverse("api:v1:openapi-view"))
    html = page.content.decode()

    assert page.status_code == 200
    assert "script-src 'self'" in page["Content-Security-Policy"]
    # the only inline <script> is a JSON data block, which a CSP never runs
    import re

    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attributes for attributes in inline)
    assert "cdn" not in html.lower()
