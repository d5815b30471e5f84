"""The database itself refuses overlapping sessions in a room (PostgreSQL)."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection

from certification.models import NO_OVERLAP
from tests.factories.certification import SessionFactory, paris
from tests.factories.rooms import RoomFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL constraint"),
]


def test_the_database_refuses_an_overlap_written_behind_the_services_back():
    room = RoomFactory()
    SessionFactory(room=room, starts_at=paris(2027, 3, 11, 9))

    with pytest.raises(IntegrityError, match=NO_OVERLAP):
        SessionFactory(room=room, starts_at=paris(2027, 3, 11, 10))


def test_the_extended_slot_counts_in_the_overlap():
    room = RoomFactory()
    SessionFactory(
        room=room,
        starts_at=paris(2027, 3, 11, 9),
        occupied_until=paris(2027, 3, 11, 11, 35),  # a tiers-temps candidate
    )

    with pytest.raises(IntegrityError, match=NO_OVERLAP):
        SessionFactory(room=room, starts_at=paris(2027, 3, 11, 11, 30))


def test_touching_sessions_do_not_overlap():
    room = RoomFactory()
    SessionFactory(room=room, starts_at=paris(2027, 3, 11, 9))
    SessionFactory(room=room, starts_at=paris(2027, 3, 11, 11))
    SessionFactory(starts_at=paris(2027, 3, 11, 9) + dt.timedelta(minutes=30))
