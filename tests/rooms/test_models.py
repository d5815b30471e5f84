import datetime as dt

import pytest
from django.db import IntegrityError

from tests.factories.rooms import RoomFactory, SiteFactory

pytestmark = pytest.mark.django_db


def test_a_room_needs_seats():
    with pytest.raises(IntegrityError):
        RoomFactory(seats=0)


def test_two_rooms_of_one_site_cannot_share_a_name():
    site = SiteFactory()
    RoomFactory(site=site, name="Mercure (DR S03)")

    with pytest.raises(IntegrityError):
        RoomFactory(site=site, name="Mercure (DR S03)")


def test_the_same_name_on_another_site_is_fine():
    RoomFactory(site=SiteFactory(name="A"), name="B100")
    RoomFactory(site=SiteFactory(name="B"), name="B100")


def test_certified_until_the_date_included():
    room = RoomFactory(certified_until=dt.date(2027, 3, 1))

    assert room.is_certified_on(dt.date(2027, 3, 1))
    assert not room.is_certified_on(dt.date(2027, 3, 2))
    assert not RoomFactory(certified_until=None).is_certified_on(dt.date(2026, 1, 1))
