"""The student's certification convocation in their calendar (month and list) and in
their iCal feed: their own end time, a stable UID, SEQUENCE bumped when it moves."""

import pytest
from icalendar import Calendar

from certification import services
from certification.models import CertificationSession
from pixoffice.portal.models import CalendarFeed, ItemVersion
from tests.factories.certification import CandidateFactory, SessionFactory, paris
from tests.factories.rooms import RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def convoked(people):
    """Student A (tiers-temps) in a published session on Monday 29 March 2027 at 9:00,
    the day after the DST Sunday; a draft session and another student's convocation."""
    room = RoomFactory(name="Salle PIX", building="Le Patio, bâtiment 4")
    session = SessionFactory(room=room, starts_at=paris(2027, 3, 29, 9), status="published")
    mine = CandidateFactory(
        session=session, student=people["student_a"].student, extra_time_percent=33
    )
    CandidateFactory(
        session=SessionFactory(starts_at=paris(2027, 3, 30, 9)),  # a draft
        student=people["student_a"].student,
    )
    CandidateFactory(session=session, student=people["student_b"].student)
    return mine


def feed_events(client, student):
    token = CalendarFeed.objects.get_or_create(student=student)[0].token
    response = client.get(f"/calendrier/{token}.ics")
    assert response.status_code == 200
    return {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_calendar_page_shows_the_convocation_with_her_end_time(client, people, convoked):
    client.force_login(people["student_a"])

    response = client.get("/etudiant/calendrier/?mois=2027-03")

    [item] = [i for i in response.context["items"] if i.kind == "certification"]
    assert item.uid == f"convocation-{convoked.pk}@pixoffice"
    assert item.local_start.strftime("%d/%m %H:%M %z") == "29/03 09:00 +0200"
    assert item.local_end.strftime("%H:%M") == "11:35"  # 9:00 + 15 min + 2 h 20
    assert "Salle PIX" in item.place and "Le Patio, bâtiment 4" in item.place
    text = response.content.decode()
    assert "Convocation" in text and "09:00</time>–11:35" in text
    assert 'href="/ma-certification/"' in text
    assert "30 mars" not in text.split('id="liste"')[1]  # the draft is not there


def test_the_feed_holds_it_in_paris_time_and_bumps_its_sequence_when_it_moves(
    client, people, convoked
):
    uid = f"convocation-{convoked.pk}@pixoffice"

    event = feed_events(client, convoked.student)[uid]
    assert event["SUMMARY"] == "Certification Pix"
    assert event.decoded("DTSTART") == paris(2027, 3, 29, 9)
    assert str(event.decoded("DTSTART").tzinfo) == "Europe/Paris"
    assert event.decoded("DTEND") == paris(2027, 3, 29, 11, 35)
    assert event["SEQUENCE"] == 0
    assert "Salle PIX" in str(event["LOCATION"])

    session = CertificationSession.objects.get(pk=convoked.session_id)
    session.starts_at = paris(2027, 3, 29, 14)
    services.save_session(session=session)
    moved = feed_events(client, convoked.student)[uid]

    assert moved["SEQUENCE"] == 1
    assert moved.decoded("DTEND") == paris(2027, 3, 29, 16, 35)
    assert feed_events(client, convoked.student)[uid]["SEQUENCE"] == 1  # read again: same


def test_another_student_sees_only_their_own_convocation(client, people, convoked):
    events = feed_events(client, people["student_b"].student)

    convocations = [e for uid, e in events.items() if uid.startswith("convocation-")]
    assert len(convocations) == 1
    assert str(convocations[0]["UID"]) != f"convocation-{convoked.pk}@pixoffice"
    assert convocations[0].decoded("DTEND") == paris(2027, 3, 29, 11)  # no extra time


def test_a_new_room_alone_bumps_the_sequence_and_a_first_sighting_does_not(
    client, people, convoked
):
    """Calendar apps update an event only when its SEQUENCE grows: moving the session
    to another room at the same time is a move too. An item seen before places were
    remembered (place unknown) is not counted as moved."""
    uid = f"convocation-{convoked.pk}@pixoffice"
    assert feed_events(client, convoked.student)[uid]["SEQUENCE"] == 0
    ItemVersion.objects.filter(uid=uid).update(place=None)  # as after the migration
    assert feed_events(client, convoked.student)[uid]["SEQUENCE"] == 0

    session = CertificationSession.objects.get(pk=convoked.session_id)
    session.room = RoomFactory(name="Salle B012", building="Le Patio, bâtiment 4")
    services.save_session(session=session)
    moved = feed_events(client, convoked.student)[uid]

    assert moved["SEQUENCE"] == 1
    assert "Salle B012" in str(moved["LOCATION"])
    assert feed_events(client, convoked.student)[uid]["SEQUENCE"] == 1
