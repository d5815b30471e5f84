"""Every API URL with every kind of token, on the world of the URL matrix (student A of
L2 Géographie, a campaign, a required badge and a published note of L2 Géographie).

No token, a revoked or an expired one: 401. A token of L2 Géographie: 200. A token of
L2 Histoire: its lists answer 200 (without L2 Géographie's rows), L2 Géographie's
objects 404.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from pixoffice.api import tokens
from tests.factories.api import bearer, make_token
from tests.test_url_matrix import all_patterns, fill_kwargs
from tests.test_url_matrix import world as url_world  # noqa: F401  (a fixture)

KINDS = ["none", "revoked", "expired", "geographie", "histoire"]
PUBLIC = {"api:v1:openapi-json", "api:v1:openapi-view", "api:v1:api-root"}
OBJECTS = {  # one object of L2 Géographie each
    "api:v1:student",
    "api:v1:campaign",
    "api:v1:participations",
    "api:v1:student_notes",
    "api:v1:badge_students",
    "api:v1:student_badges",
}


def expected(name: str, kind: str) -> int:
    if kind in ("none", "revoked", "expired"):
        return 401
    if kind == "histoire" and name in OBJECTS:
        return 404
    return 200


@pytest.mark.django_db
def test_api_url_matrix(url_world, client, programmes, settings):  # noqa: F811
    # dozens of revoked and expired tokens from one address: counted apart
    # (tests/api/test_refused_tokens.py)
    settings.API_AUTH_FAILURE_LIMIT = "1000/m"
    geographie = url_world["people"]["student_a"].student.programme
    made = {
        "geographie": make_token([geographie]),
        "histoire": make_token([programmes["L2 Histoire"]]),
        "revoked": make_token([geographie]),
        "expired": make_token([geographie]),
    }
    tokens.revoke_token(made["revoked"])
    made["expired"].expires_at = timezone.now()
    made["expired"].save()
    failures, walked = [], 0
    for name, route, _pattern in all_patterns():
        if not name.startswith("api:v1:") or name in PUBLIC:
            continue
        walked += 1
        url = reverse(name, kwargs=fill_kwargs(name, route, url_world))
        for kind in KINDS:
            headers = bearer(made[kind]) if kind in made else {}
            answer = client.get(url, **headers)
            if answer.status_code != expected(name, kind):
                failures.append(f"{name} {url} {kind}: {answer.status_code}")
            elif kind == "histoire" and answer.status_code == 200:
                body = answer.json()
                assert body["count"] == 0 or name == "api:v1:programmes", (name, body)
    assert walked == 11
    assert failures == [], "\n".join(failures)


@pytest.mark.django_db
def test_the_geographie_token_reads_student_as_published_note(url_world, client):  # noqa: F811
    student = url_world["people"]["student_a"].student
    token = make_token([student.programme])

    notes = client.get(
        reverse("api:v1:student_notes", kwargs={"student_number": student.student_number}),
        **bearer(token),
    ).json()

    assert [n["scheme"]["name"] for n in notes] == ["Pix"]
