"""Events in a room of ``rooms`` or at a free-text place (exactly one, in the database
too); office hours skip their exception dates (the demo's Christmas holidays, dates
staff add in the form), in the month view and as EXDATE in the feed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from pixoffice.events.demo import christmas_holidays, load_events_demo
from pixoffice.events.models import OfficeHours, SupportSession, Workshop
from pixoffice.events.recurrence import occurrences
from rooms.demo import load_rooms_demo
from tests.factories import AcademicYearFactory
from tests.factories.events import OfficeHoursFactory, SupportSessionFactory
from tests.factories.rooms import RoomFactory

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db

SESSION = {
    "title": "Séance Géographie",
    "start": "2026-10-13T12:30",
    "end": "2026-10-13T13:30",
}


def test_a_session_in_a_room_shows_the_room_on_the_staff_list(staff_client, programmes):
    room = RoomFactory(name="Salle PIX du Patio")
    data = {**SESSION, "programme": programmes["L2 Géographie"].pk, "room": room.pk}

    assert staff_client.post("/equipe/evenements/seance/nouveau", data).status_code == 302

    session = SupportSession.objects.get()
    assert session.room == room and session.place == ""
    assert session.location == "Caen Campus 1 — Bâtiment D (Droit) — Salle PIX du Patio"
    assert session.location in staff_client.get("/equipe/evenements/").content.decode()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({}, "Choisissez une salle ou indiquez un autre lieu."),
        ({"place": "bureau 1101"}, "Choisissez une salle ou indiquez un autre lieu, pas les deux."),
    ],
)
def test_a_room_or_a_place_exactly_one_in_the_form(staff_client, programmes, extra, message):
    data = {**SESSION, "programme": programmes["L2 Géographie"].pk, **extra}
    if "place" in extra:
        data["room"] = RoomFactory().pk

    page = staff_client.post("/equipe/evenements/seance/nouveau", data)

    assert message in page.content.decode()
    assert not SupportSession.objects.exists()


def test_the_database_refuses_neither_and_both(programmes):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportSessionFactory(programme=programmes["L2 SED"], place="")
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportSessionFactory(programme=programmes["L2 SED"], room=RoomFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeHoursFactory(place="", room=None)


def test_a_room_in_use_cannot_be_deleted():
    from django.db.models import ProtectedError

    room = RoomFactory()
    SupportSessionFactory(room=room, place="")
    with pytest.raises(ProtectedError):
        room.delete()


def test_demo_office_hours_skip_the_christmas_holidays(programmes):
    year = AcademicYearFactory()  # 2026-2027
    load_rooms_demo(year)
    load_events_demo(year, programmes)

    hours = OfficeHours.objects.get()
    assert christmas_holidays(2026) == (dt.date(2026, 12, 19), dt.date(2027, 1, 4))
    assert hours.exdates == ["2026-12-22", "2026-12-24", "2026-12-29", "2026-12-31"]
    december = [
        start.strftime("%a %d/%m %H:%M")
        for start, _end in occurrences(
            hours,
            since=dt.datetime(2026, 12, 14, tzinfo=PARIS),
            until=dt.datetime(2027, 1, 9, tzinfo=PARIS),
        )
    ]
    assert december == [
        "Tue 15/12 14:00",
        "Thu 17/12 14:00",
        "Tue 05/01 14:00",
        "Thu 07/01 14:00",
    ]
    workshop = Workshop.objects.get(title="Atelier : préparer la certification Pix")
    assert workshop.room.name == "Salle PIX du Patio" and workshop.place == ""


def test_the_student_feed_carries_the_holidays_as_exdate(client, people, programmes):
    from icalendar import Calendar

    year = AcademicYearFactory()
    load_events_demo(year, programmes)
    client.force_login(people["student_a"])
    client.get("/etudiant/calendrier/")
    token = people["student_a"].student.calendar_feed.token
    client.logout()

    feed = Calendar.from_ical(client.get(f"/calendrier/{token}.ics").content)

    (hours,) = [e for e in feed.walk("VEVENT") if str(e["uid"]).startswith("permanence-")]
    exdates = hours.get("exdate")
    exdates = exdates if isinstance(exdates, list) else [exdates]
    days = sorted(d.dt.strftime("%Y-%m-%d %H:%M") for e in exdates for d in e.dts)
    assert days == [
        "2026-12-22 14:00",
        "2026-12-24 14:00",
        "2026-12-29 14:00",
        "2026-12-31 14:00",
    ]


def test_staff_add_exception_dates_in_the_form_and_the_month_skips_them(
    staff_client, client, people
):
    hours = OfficeHoursFactory()
    data = {
        "title": hours.title,
        "first_start": "2026-09-01T14:00",
        "first_end": "2026-09-01T16:00",
        "rrule": hours.rrule,
        "place": hours.place,
        "exdates_text": "01/10/2026\n\n06/10/2026",
    }

    assert staff_client.post(f"/equipe/evenements/permanence/{hours.pk}/", data).status_code == 302

    hours.refresh_from_db()
    assert hours.exdates == ["2026-10-01", "2026-10-06"] and hours.sequence == 1
    client.force_login(people["student_a"])
    body = client.get("/etudiant/calendrier/", {"mois": "2026-10"}).content.decode()
    assert 'datetime="2026-10-01T14:00:00+02:00"' not in body
    assert 'datetime="2026-10-06T14:00:00+02:00"' not in body
    assert 'datetime="2026-10-08T14:00:00+02:00"' in body
