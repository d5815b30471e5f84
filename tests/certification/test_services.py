import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from certification import services
from certification.models import CertificationSession
from tests.factories import AcademicYearFactory, StudentFactory
from tests.factories.certification import paris
from tests.factories.rooms import RoomFactory

pytestmark = pytest.mark.django_db


def new_session(room, start, **fields):
    fields.setdefault("academic_year", AcademicYearFactory())
    return services.save_session(
        session=CertificationSession(
            room=room, starts_at=start, seats=fields.pop("seats", 20), **fields
        )
    )


def test_a_session_books_its_room_for_two_hours():
    session = new_session(RoomFactory(), paris(2027, 3, 11, 9))

    assert session.occupied_until == paris(2027, 3, 11, 11)
    assert (session.test_minutes, session.slot_minutes) == (105, 120)


def test_an_overlapping_session_in_the_same_room_gets_a_french_error():
    room = RoomFactory()
    new_session(room, paris(2027, 3, 11, 9))

    with pytest.raises(ValidationError) as caught:
        new_session(room, paris(2027, 3, 11, 10, 30))

    assert "La salle est déjà occupée par la session du 11/03/2027 de 09:00 à 11:00" in str(
        caught.value
    )
    assert CertificationSession.objects.count() == 1


def test_back_to_back_sessions_and_other_rooms_are_fine():
    room = RoomFactory()
    new_session(room, paris(2027, 3, 11, 9))
    new_session(room, paris(2027, 3, 11, 11))
    new_session(RoomFactory(), paris(2027, 3, 11, 9))

    assert CertificationSession.objects.count() == 3


def test_only_a_room_certified_that_day_hosts_a_session():
    room = RoomFactory(certified_until=dt.date(2027, 3, 10))

    with pytest.raises(ValidationError) as caught:
        new_session(room, paris(2027, 3, 11, 9))

    assert "n'est pas certifiée Pix le 11/03/2027" in str(caught.value)


def test_a_session_has_no_more_seats_than_its_room():
    with pytest.raises(ValidationError) as caught:
        new_session(RoomFactory(seats=18), paris(2027, 3, 11, 9), seats=19)

    assert "La salle n'a que 18 places." in str(caught.value)


def test_a_candidate_with_a_third_more_time_extends_the_booking():
    session = new_session(RoomFactory(), paris(2027, 3, 11, 9))
    student = StudentFactory(extra_time_percent=33)

    candidate = services.place_candidate(session_id=session.pk, student=student)

    session.refresh_from_db()
    # 15 min of setup + 105 × 1.33 = 139.65 → 140 min of test: 11:35
    assert candidate.ends_at == paris(2027, 3, 11, 11, 35)
    assert session.occupied_until == paris(2027, 3, 11, 11, 35)


def test_extra_time_is_refused_when_the_room_is_booked_right_after():
    room = RoomFactory()
    session = new_session(room, paris(2027, 3, 11, 9))
    new_session(room, paris(2027, 3, 11, 11))

    with pytest.raises(ValidationError) as caught:
        services.place_candidate(
            session_id=session.pk, student=StudentFactory(extra_time_percent=33)
        )

    assert "33 % de temps majoré" in str(caught.value)
    session.refresh_from_db()
    assert session.occupied_until == paris(2027, 3, 11, 11)
    assert not session.candidates.exists()


def test_removing_the_extra_time_candidate_frees_the_room_again():
    session = new_session(RoomFactory(), paris(2027, 3, 11, 9))
    candidate = services.place_candidate(
        session_id=session.pk, student=StudentFactory(extra_time_percent=33)
    )

    services.remove_candidate(candidate_id=candidate.pk)

    session.refresh_from_db()
    assert session.occupied_until == paris(2027, 3, 11, 11)


def test_a_full_session_refuses_one_more():
    session = new_session(RoomFactory(), paris(2027, 3, 11, 9), seats=1)
    services.place_candidate(session_id=session.pk, student=StudentFactory())

    with pytest.raises(ValidationError) as caught:
        services.place_candidate(session_id=session.pk, student=StudentFactory())

    assert "La session est complète (1 place)." in str(caught.value)


def test_a_student_is_placed_once():
    session = new_session(RoomFactory(), paris(2027, 3, 11, 9))
    student = StudentFactory()
    services.place_candidate(session_id=session.pk, student=student)

    with pytest.raises(ValidationError):
        services.place_candidate(session_id=session.pk, student=student)


def test_publish_then_close_and_never_back():
    session = new_session(RoomFactory(), paris(2027, 3, 11, 9))

    services.publish_session(session=session)
    services.close_session(session=session)

    with pytest.raises(ValidationError):
        services.publish_session(session=session)
    session.refresh_from_db()
    assert session.status == "closed"
