"""The staff calendar: a month of what concerns the programmes a staff member follows,
or one of them; each item links to its staff page; a fixed number of queries."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from pixoffice.events.models import Registration
from tests.factories import StudentFactory
from tests.factories.badges import BadgeRequirementFactory
from tests.factories.campaigns import CampaignFactory
from tests.factories.certification import CandidateFactory, SessionFactory
from tests.factories.events import OfficeHoursFactory, SupportSessionFactory, WorkshopFactory

PARIS = ZoneInfo("Europe/Paris")
URL = reverse("portal:staff_calendar")
OCTOBER = {"mois": "2026-10"}

pytestmark = pytest.mark.django_db


def at(day, hour=14, minute=0):
    return dt.datetime(2026, 10, day, hour, minute, tzinfo=PARIS)


def month_of(programmes, *, n=1):
    """``n`` of each kind in October 2026 for each programme (name → Programme)."""
    made = {}
    for name, programme in programmes.items():
        for i in range(n):
            made.setdefault(name, []).extend(
                [
                    SupportSessionFactory(
                        programme=programme,
                        title=f"Séance {name} {i}",
                        start=at(13 + i, 12, 30),
                        end=at(13 + i, 13, 30),
                    ),
                    CampaignFactory(
                        programmes=[programme],
                        name=f"Campagne {name} {i}",
                        deadline=at(27, 23, 59),
                    ),
                    BadgeRequirementFactory(
                        programmes=[programme], name=f"Badge {name} {i}", deadline=at(20, 23, 59)
                    ),
                    WorkshopFactory(
                        programme=programme,
                        title=f"Atelier {name} {i}",
                        start=at(21 + i),
                        end=at(21 + i, 16),
                        seats=20,
                    ),
                ]
            )
            session = SessionFactory(starts_at=at(15 + i, 9), seats=30)
            session.programmes.set([programme])
            made[name].append(session)
    return made


def test_staff_of_histoire_do_not_see_geographie(client, people, programmes):
    geo, histoire = programmes["L2 Géographie"], programmes["L2 Histoire"]
    made = month_of({"L2 Géographie": geo, "L2 Histoire": histoire})
    for_all = SessionFactory(starts_at=at(29, 9), seats=30)  # no programme: open to all
    OfficeHoursFactory()  # every Tuesday and Thursday, for everyone
    client.force_login(people["staff_other"])  # follows L2 Histoire only

    body = client.get(URL, OCTOBER).content.decode()

    for text in ["Séance L2 Histoire 0", "Campagne L2 Histoire 0", "Badge L2 Histoire 0"]:
        assert text in body
    assert "Atelier L2 Histoire 0" in body
    for text in ["Séance L2 Géographie 0", "Campagne L2 Géographie 0", "Badge L2 Géographie 0"]:
        assert text not in body
    assert "Atelier L2 Géographie 0" not in body
    histoire_cert, geo_cert = made["L2 Histoire"][-1], made["L2 Géographie"][-1]
    assert reverse("certification:session", args=[histoire_cert.pk]) in body
    assert reverse("certification:session", args=[for_all.pk]) in body
    assert reverse("certification:session", args=[geo_cert.pk]) not in body
    assert body.count("Permanence") >= 9  # 9 Tuesdays and Thursdays in October 2026

    # naming a programme one does not follow shows nothing of it
    sneaky = client.get(URL, {**OCTOBER, "formation": geo.pk}).content.decode()
    assert "Séance L2 Géographie 0" not in sneaky and "Séance L2 Histoire 0" in sneaky


def test_the_programme_filter_and_the_links_to_staff_pages(staff_client, programmes):
    geo, histoire = programmes["L2 Géographie"], programmes["L2 Histoire"]
    made = month_of({"L2 Géographie": geo, "L2 Histoire": histoire})
    session, campaign, badge, workshop, certification = made["L2 Géographie"]
    hours = OfficeHoursFactory(programme=histoire)
    students = [StudentFactory(programme=geo) for _ in range(3)]
    Registration.objects.create(workshop=workshop, student=students[0], status="registered")
    Registration.objects.create(workshop=workshop, student=students[1], status="registered")
    Registration.objects.create(workshop=workshop, student=students[2], status="waiting")
    CandidateFactory(session=certification, student=students[0])

    everything = staff_client.get(URL, OCTOBER).content.decode()
    assert "Séance L2 Géographie 0" in everything and "Séance L2 Histoire 0" in everything

    page = staff_client.get(URL, {**OCTOBER, "formation": geo.pk})
    body = page.content.decode()
    assert "Séance L2 Histoire 0" not in body
    for link in [
        reverse("events:edit", args=["seance", session.pk]),
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("badges:follow_up", args=[badge.pk]),
        reverse("events:workshop", args=[workshop.pk]),
        reverse("certification:session", args=[certification.pk]),
    ]:
        assert f'href="{link}"' in body, link
    assert reverse("events:edit", args=["permanence", hours.pk]) not in body  # Histoire's
    assert "2 inscrits sur 20 places, 1 en attente" in body
    assert "1 candidat placé sur 30 places (brouillon)" in body
    assert "Formations : L2 Géographie" in body
    # the month links keep the programme
    assert f"?mois=2026-11&amp;formation={geo.pk}" in body


def test_times_are_paris_times_in_the_month_and_the_list(staff_client, programmes):
    SupportSessionFactory(
        programme=programmes["L2 SED"], title="Séance SED", start=at(16, 12), end=at(16, 13)
    )
    body = staff_client.get(URL, OCTOBER).content.decode()
    assert '<time datetime="2026-10-16T12:00:00+02:00">12:00</time>–13:00' in body
    assert "vendredi 16 octobre" in body


def test_students_get_a_403(client, people):
    client.force_login(people["student_a"])
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_query_count_does_not_grow_with_the_items(
    staff_client, programmes, n, django_assert_num_queries
):
    month_of(programmes, n=n)
    OfficeHoursFactory()
    # session, user, the followed programmes; campaigns + their programmes, badges +
    # theirs, support sessions, workshops, office hours, certification sessions + theirs
    with django_assert_num_queries(12):
        page = staff_client.get(URL, OCTOBER)
    assert page.status_code == 200
    assert page.content.decode().count("Séance d'accompagnement") == 0
    assert page.content.decode().count("Séance L2") == 4 * n * 2  # month and list
