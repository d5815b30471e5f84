import pytest

from rooms.demo import load_rooms_demo
from rooms.models import Room
from rooms.resources import RoomResource
from tests.factories import AcademicYearFactory

pytestmark = pytest.mark.django_db

CAEN = [
    ("Mercure (DR S03)", 37),
    ("Neptune (DR S04)", 80),
    ("Venus (SC S36)", 50),
    ("Jupiter (SC S37)", 18),
    ("Salle B100", 30),
    ("ENB (SO S41)", 28),
    ("S. Multimédia (SO 034)", 31),
]


def test_demo_loads_the_caen_list_and_the_patio_twice_without_duplicates():
    year = AcademicYearFactory()
    load_rooms_demo(year)
    load_rooms_demo(year)

    seats = dict(Room.objects.values_list("name", "seats"))
    assert Room.objects.count() == 8
    assert all(seats[name] == n for name, n in CAEN)
    assert "Salle PIX du Patio" in seats
    assert Room.objects.get(name="Neptune (DR S04)").site.name == "Caen Campus 1"


def test_room_resource_exports_and_reimports_without_change():
    load_rooms_demo(AcademicYearFactory())
    dataset = RoomResource().export()

    result = RoomResource().import_data(dataset, dry_run=True)

    assert not result.has_errors()
    assert result.totals["update"] + result.totals["skip"] == 8
    assert result.totals["new"] == 0
    assert dataset.headers[:4] == ["site", "building", "name", "seats"]
