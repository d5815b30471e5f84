"""Refused tokens counted per client address (``API_AUTH_FAILURE_LIMIT``): each refused
token costs a query, so past the limit every request from that address answers 429
(with ``Retry-After``) before any token is looked up; other addresses, valid tokens
and requests with no token at all are not counted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.api import bearer, make_token

pytestmark = pytest.mark.django_db
PROGRAMMES = reverse("api:v1:programmes")
FORGED = {"HTTP_AUTHORIZATION": "Bearer pxo_" + "x" * 40}


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.API_AUTH_FAILURE_LIMIT = "3/m"
    settings.API_RATE_LIMIT = "100/m"


def test_past_the_limit_an_address_is_refused_without_a_query(client, programmes):
    token = make_token([programmes["L2 Histoire"]])
    answers = [client.get(PROGRAMMES, **FORGED).status_code for _ in range(3)]

    with CaptureQueriesContext(connection) as queries:
        refused = client.get(PROGRAMMES, **FORGED)
    valid_meanwhile = client.get(PROGRAMMES, **bearer(token))

    assert answers == [401, 401, 401]
    assert refused.status_code == 429 and len(queries) == 0
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json() == {
        "detail": "Trop de jetons refusés depuis cette adresse : réessayez plus tard."
    }
    assert valid_meanwhile.status_code == 429  # the address, whatever token it sends


def test_another_address_is_counted_apart(client):
    for _ in range(3):
        client.get(PROGRAMMES, REMOTE_ADDR="203.0.113.7", **FORGED)

    assert client.get(PROGRAMMES, REMOTE_ADDR="203.0.113.7", **FORGED).status_code == 429
    assert client.get(PROGRAMMES, REMOTE_ADDR="203.0.113.8", **FORGED).status_code == 401


def test_valid_tokens_and_missing_ones_are_not_counted(client, programmes):
    token = make_token([programmes["L2 Histoire"]])
    for _ in range(5):
        assert client.get(PROGRAMMES, **bearer(token)).status_code == 200
        assert client.get(PROGRAMMES).status_code == 401  # no token: no query either

    assert client.get(PROGRAMMES, **FORGED).status_code == 401  # the first refused one


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for _ in range(3):
        client.get(PROGRAMMES, HTTP_X_FORWARDED_FOR="198.51.100.1", **FORGED)

    blocked = client.get(PROGRAMMES, HTTP_X_FORWARDED_FOR="198.51.100.1", **FORGED)
    other = client.get(PROGRAMMES, HTTP_X_FORWARDED_FOR="198.51.100.2", **FORGED)
    assert (blocked.status_code, other.status_code) == (429, 401)
