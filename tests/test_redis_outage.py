"""With Redis unreachable (nothing listens on 127.0.0.1:6390), logins, activation,
password reset, imports and their progress keep working; /healthz says « degraded »
(issue 10, § 12)."""

import pytest
from django.core.cache import cache
from django.db import DatabaseError
from django.urls import reverse

from pixoffice.accounts.models import RosterImport, Student
from tests.accounts.test_roster_views import upload

pytestmark = pytest.mark.django_db


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_demo_account_logs_in_through_the_real_login_view(redis_down, client, people, password):
    assert not cache.ping()  # Redis really is unreachable

    wrong = login(client, "equipe@univ-exemple.fr", "mauvais")
    assert wrong.status_code == 200  # the form again, not a 500
    assert "_auth_user_id" not in client.session

    right = login(client, "equipe@univ-exemple.fr", password)
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(people["staff"].pk)
    assert client.get(reverse("portal:home"), follow=True).status_code == 200


def test_failed_logins_are_still_limited_per_account_during_the_outage(
    redis_down, client, people, password
):
    for _ in range(5):
        assert login(client, "equipe@univ-exemple.fr", "mauvais").status_code == 200

    blocked = login(client, "equipe@univ-exemple.fr", password)

    assert blocked.status_code in (200, 429)
    assert "_auth_user_id" not in client.session  # counted locally, still enforced


def test_activation_and_password_reset_answer_during_the_outage(
    redis_down, client, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        activation = client.post(reverse("accounts:activate"), {"identifier": "12345678"})
        reset = client.post(reverse("account_reset_password"), {"email": "a@etu.univ-exemple.fr"})

    assert activation.status_code == 200
    assert reset.status_code == 302


def test_imports_run_in_process_and_their_pages_answer_during_the_outage(
    redis_down, staff_client, roster_bytes, settings, django_capture_on_commit_callbacks
):
    settings.ROSTER_IMPORT_TASK_THRESHOLD = 10  # a Celery task, were the broker up
    upload(staff_client, "liste.csv", roster_bytes)
    batch = RosterImport.objects.get()
    before = Student.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("accounts:roster_import_confirm", kwargs={"pk": batch.pk})
        )

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.APPLIED
    assert Student.objects.count() == before + 96
    assert staff_client.get(response.url).status_code == 200


def test_healthz_reports_the_degraded_parts(redis_down, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "unavailable",
        "broker": "unavailable",
    }


def test_healthz_is_ok_when_everything_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "eager",
    }


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    from pixoffice import health

    class Broken:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connection", Broken())
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["database"] == "unavailable"


def test_the_outage_costs_little(redis_down):
    import time

    cache.set("k", 1)  # the first call finds Redis down
    started = time.monotonic()
    for _ in range(200):
        cache.set("k", 2)
        assert cache.get("k") == 2
    assert time.monotonic() - started < 0.5  # no connection attempt per call
