"""The student's calendar: deadlines, support sessions, workshops, office hours, in
Paris time across the DST Sundays; a month table and a list."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pixoffice.events import services as event_services
from tests.factories import AcademicYearFactory, CampaignFactory
from tests.factories.badges import BadgeRequirementFactory
from tests.factories.events import OfficeHoursFactory, SupportSessionFactory, WorkshopFactory

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def geo_student(people):
    student = people["student_a"].student
    student.academic_year = AcademicYearFactory()  # 2026-2027
    student.save()
    return student


def page(client, people, month):
    client.force_login(people["student_a"])
    return client.get(f"/etudiant/calendrier/?mois={month}")


@pytest.mark.django_db
def test_calendar_holds_deadlines_session_and_workshop_with_links(client, people, geo_student):
    year = geo_student.academic_year
    campaign = CampaignFactory(
        code="MJPECY231",
        academic_year=year,
        programmes=[geo_student.programme],
        deadline=dt.datetime(2026, 10, 27, 23, 59, tzinfo=PARIS),
    )
    CampaignFactory(  # another programme's: not shown
        academic_year=year, deadline=dt.datetime(2026, 10, 20, 12, tzinfo=PARIS)
    )
    BadgeRequirementFactory(
        academic_year=year,
        programmes=[geo_student.programme],
        deadline=dt.datetime(2026, 10, 8, 23, 59, tzinfo=PARIS),
    )
    SupportSessionFactory(programme=geo_student.programme, title="Séance Géographie")
    workshop = WorkshopFactory(
        programme=geo_student.programme,
        title="Atelier certification",
        start=dt.datetime(2026, 10, 22, 14, tzinfo=PARIS),
        end=dt.datetime(2026, 10, 22, 16, tzinfo=PARIS),
    )
    event_services.register(
        workshop=workshop, student=geo_student, now=dt.datetime(2026, 10, 1, tzinfo=PARIS)
    )

    body = page(client, people, "2026-10").content.decode()

    assert "Date limite de la campagne Pix MJPECY231" in body
    assert f'href="/mes-campagnes/#campagne-{campaign.pk}"' in body
    assert "Date limite de dépôt du badge" in body and 'href="/mon-badge-ia/"' in body
    assert "Séance Géographie" in body and "12:30</time>–13:30" in body
    assert f'href="/etudiant/ateliers/#atelier-{workshop.pk}"' in body
    assert body.count("Date limite de la campagne") == 2  # the table and the list
    assert "webcal://" in body


@pytest.mark.django_db
def test_office_hours_keep_14h_across_the_october_dst_sunday(client, people, geo_student):
    OfficeHoursFactory()  # Tue/Thu 14:00–16:00; summer time ends Sunday 25/10/2026
    SupportSessionFactory(  # on the Sunday itself, after the change
        programme=geo_student.programme,
        title="Séance du dimanche",
        start=dt.datetime(2026, 10, 25, 12, tzinfo=PARIS),
        end=dt.datetime(2026, 10, 25, 13, tzinfo=PARIS),
    )

    response = page(client, people, "2026-10")
    items = response.context["items"]

    hours = [i.local_start for i in items if i.kind == "office_hours"]
    assert {h.strftime("%H:%M") for h in hours} == {"14:00"}
    assert [h.day for h in hours][-4:] == [20, 22, 27, 29]
    sunday = next(
        d for w in response.context["weeks"] for d in w if d["date"] == dt.date(2026, 10, 25)
    )
    assert [i.title for i in sunday["items"]] == ["Séance du dimanche"]
    assert "12:00</time>–13:00" in response.content.decode()


@pytest.mark.django_db
def test_march_dst_sunday_and_month_boundary_in_paris_time(client, people, geo_student):
    # 00:30 on 1 April in Paris is 22:30 UTC on 31 March: April's, not March's
    SupportSessionFactory(
        programme=geo_student.programme,
        title="Séance de minuit",
        start=dt.datetime(2027, 4, 1, 0, 30, tzinfo=PARIS),
        end=dt.datetime(2027, 4, 1, 1, 30, tzinfo=PARIS),
    )
    SupportSessionFactory(  # Sunday 28/03/2027, 03:30 exists only in summer time
        programme=geo_student.programme,
        title="Séance du 28 mars",
        start=dt.datetime(2027, 3, 28, 3, 30, tzinfo=PARIS),
        end=dt.datetime(2027, 3, 28, 4, 30, tzinfo=PARIS),
    )

    march = page(client, people, "2027-03").context["items"]
    april = page(client, people, "2027-04").context["items"]

    assert [i.title for i in march if i.kind == "session"] == ["Séance du 28 mars"]
    assert [i.title for i in april if i.kind == "session"] == ["Séance de minuit"]
    session = next(i for i in march if i.kind == "session")
    assert session.local_start.strftime("%d %H:%M %z") == "28 03:30 +0200"


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_calendar_query_count(client, people, geo_student, count):
    for n in range(count):
        SupportSessionFactory(programme=geo_student.programme, title=f"Séance {n}")
        CampaignFactory(
            academic_year=geo_student.academic_year,
            programmes=[geo_student.programme],
            deadline=dt.datetime(2026, 10, 10 + n, tzinfo=PARIS),
        )
    OfficeHoursFactory()
    client.force_login(people["student_a"])
    client.get("/etudiant/calendrier/?mois=2026-10")  # the feed row is made once
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/etudiant/calendrier/?mois=2026-10").status_code == 200
    # 9 + convocations (the logged-in user is cached since the first visit)
    assert len(queries) == 10, "\n".join(q["sql"] for q in queries)


@pytest.mark.django_db
def test_a_bad_month_shows_the_current_one(client, people, geo_student):
    assert page(client, people, "2026-13").status_code == 200
