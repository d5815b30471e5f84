"""The iCal feed: read back with icalendar; stable UIDs, SEQUENCE on a move, the Paris
time zone, office hours as RRULE with EXDATE; a renewed token makes the old URL 404."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from pixoffice.events import services as event_services
from pixoffice.portal.models import CalendarFeed
from tests.factories import AcademicYearFactory, CampaignFactory
from tests.factories.events import OfficeHoursFactory, SupportSessionFactory

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def geo(people):
    student = people["student_a"].student
    student.academic_year = AcademicYearFactory()
    student.save()
    return student


def feed(client, student):
    token = CalendarFeed.objects.get_or_create(student=student)[0].token
    response = client.get(f"/calendrier/{token}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events_of(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


@pytest.mark.django_db
def test_feed_holds_the_session_and_the_deadline_in_paris_time(client, geo):
    session = SupportSessionFactory(programme=geo.programme, title="Séance Géographie")
    campaign = CampaignFactory(
        code="MJPECY231",
        academic_year=geo.academic_year,
        programmes=[geo.programme],
        deadline=dt.datetime(2026, 10, 27, 23, 59, tzinfo=PARIS),
    )

    cal = feed(client, geo)  # anonymous: the token is the secret
    events = events_of(cal)

    seance = events[f"seance-{session.pk}@pixoffice"]
    assert str(seance["SUMMARY"]) == "Séance Géographie"
    start = seance.decoded("DTSTART")
    assert start.strftime("%d/%m %H:%M") == "13/10 12:30" and str(start.tzinfo) == "Europe/Paris"
    assert seance["DTSTART"].params["TZID"] == "Europe/Paris"
    deadline = events[f"campagne-{campaign.pk}@pixoffice"]
    assert "MJPECY231" in str(deadline["SUMMARY"])
    assert str(deadline["URL"]).endswith(f"/mes-campagnes/#campagne-{campaign.pk}")
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]


@pytest.mark.django_db
def test_a_moved_item_keeps_its_uid_and_bumps_its_sequence(client, geo):
    campaign = CampaignFactory(academic_year=geo.academic_year, programmes=[geo.programme])
    session = SupportSessionFactory(programme=geo.programme)
    uid_c, uid_s = f"campagne-{campaign.pk}@pixoffice", f"seance-{session.pk}@pixoffice"
    before = events_of(feed(client, geo))
    again = events_of(feed(client, geo))

    campaign.deadline += dt.timedelta(days=7)
    campaign.save()
    session.start += dt.timedelta(hours=1)
    session.end += dt.timedelta(hours=1)
    event_services.save_event(session, changed=["start", "end"])
    after = events_of(feed(client, geo))

    assert [int(e[uid_c]["SEQUENCE"]) for e in (before, again, after)] == [0, 0, 1]
    assert [int(e[uid_s]["SEQUENCE"]) for e in (before, again, after)] == [0, 0, 1]


@pytest.mark.django_db
def test_office_hours_are_one_event_with_rrule_and_exdate(client, geo):
    hours = OfficeHoursFactory(exdates=["2026-12-24"])

    event = events_of(feed(client, geo))[f"permanence-{hours.pk}@pixoffice"]

    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["TU", "TH"]
    exdates = [d.dt for d in event["EXDATE"].dts]
    assert [d.strftime("%d/%m/%Y %H:%M") for d in exdates] == ["24/12/2026 14:00"]
    assert event.decoded("DTSTART").strftime("%a %H:%M") == "Tue 14:00"


@pytest.mark.django_db
def test_a_renewed_address_answers_404_and_the_new_one_works(client, people, geo):
    old = CalendarFeed.objects.create(student=geo).token
    client.force_login(people["student_a"])

    client.post("/etudiant/calendrier/nouvelle-adresse")
    client.logout()

    assert client.get(f"/calendrier/{old}.ics").status_code == 404
    new = CalendarFeed.objects.get(student=geo).token
    assert new != old and client.get(f"/calendrier/{new}.ics").status_code == 200


@pytest.mark.django_db
def test_calendar_page_offers_webcal_link_and_qr_code(client, people, geo):
    client.force_login(people["student_a"])

    body = client.get("/etudiant/calendrier/").content.decode()

    token = CalendarFeed.objects.get(student=geo).token
    assert f'href="webcal://testserver/calendrier/{token}.ics"' in body
    assert '<svg width="' in body and "Code QR de l&#x27;adresse" not in body
    assert "<title>Code QR de l'adresse d'abonnement</title>" in body
