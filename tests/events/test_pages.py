"""Staff create and edit events in the site; students register there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pixoffice.events.demo import support_week_monday
from pixoffice.events.models import OfficeHours, SupportSession
from tests.factories.events import SupportSessionFactory, WorkshopFactory


@pytest.mark.django_db
def test_staff_create_a_support_session_and_moving_it_bumps_its_sequence(staff_client, programmes):
    geo = programmes["L2 Géographie"]
    data = {
        "programme": geo.pk,
        "title": "Séance Géographie",
        "start": "2026-10-13T12:30",
        "end": "2026-10-13T13:30",
        "place": "salle 12",
    }
    assert staff_client.post("/equipe/evenements/seance/nouveau", data).status_code == 302
    session = SupportSession.objects.get()
    assert session.sequence == 0 and session.start.hour == 10  # 12:30 Paris = 10:30 UTC

    staff_client.post(
        f"/equipe/evenements/seance/{session.pk}/", {**data, "start": "2026-10-13T12:00"}
    )
    session.refresh_from_db()
    assert session.sequence == 1


@pytest.mark.django_db
def test_a_session_ending_before_it_starts_is_refused(staff_client, programmes):
    page = staff_client.post(
        "/equipe/evenements/seance/nouveau",
        {
            "programme": programmes["L2 SED"].pk,
            "title": "x",
            "start": "2026-10-13T12:30",
            "end": "2026-10-13T12:00",
        },
    )
    assert "La fin doit être après le début." in page.content.decode()
    assert not SupportSession.objects.exists()


@pytest.mark.django_db
def test_office_hours_with_a_bad_rule_or_date_are_refused(staff_client):
    page = staff_client.post(
        "/equipe/evenements/permanence/nouveau",
        {
            "title": "Permanence",
            "first_start": "2026-09-01T14:00",
            "first_end": "2026-09-01T16:00",
            "rrule": "FREQ=SOMETIMES",
            "exdates_text": "24/12/2026\n31/13/2026",
        },
    )
    body = page.content.decode()
    assert "Règle illisible" in body and "Ligne 2 : « 31/13/2026 »" in body
    assert not OfficeHours.objects.exists()


@pytest.mark.django_db
def test_staff_of_another_programme_cannot_edit_a_session(client, people, programmes):
    session = SupportSessionFactory(programme=programmes["L2 Géographie"])
    client.force_login(people["staff_other"])

    assert client.get(f"/equipe/evenements/seance/{session.pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_event_list_query_count(staff_client, programmes, count):
    for _ in range(count):
        SupportSessionFactory(programme=programmes["L2 SED"])
        WorkshopFactory(programme=programmes["L2 SED"])
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get("/equipe/evenements/").status_code == 200
    # session, user, then sessions, workshops (with their counts), office hours
    assert len(queries) == 5, [q["sql"] for q in queries]


@pytest.mark.django_db
def test_student_registers_from_the_workshops_page(client, people):
    workshop = WorkshopFactory(programme=people["student_a"].student.programme, seats=1)
    client.force_login(people["student_a"])

    client.post(f"/etudiant/ateliers/{workshop.pk}/inscription")
    page = client.get("/etudiant/ateliers/")

    assert "Vous êtes inscrit·e." in page.content.decode()


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2028])
def test_demo_support_week_keeps_the_seeds_weekdays(year):
    monday = support_week_monday(year)
    assert monday.weekday() == 0 and monday.month == 10 and 10 <= monday.day <= 16


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_my_workshops_query_count(client, people, count):
    programme = people["student_a"].student.programme
    for _ in range(count):
        WorkshopFactory(programme=programme)
    client.force_login(people["student_a"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/etudiant/ateliers/").status_code == 200
    # session, user, student, the registrations, the workshops (with their counts)
    assert len(queries) == 5, "\n".join(q["sql"] for q in queries)
