import pytest
from django.urls import reverse

from rooms.models import Room, Site
from tests.factories.rooms import RoomFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 3])
def test_room_list_costs_constant_queries(staff_client, django_assert_num_queries, count):
    RoomFactory.create_batch(count)

    with django_assert_num_queries(4):  # session, user, sites with counts, rooms
        response = staff_client.get(reverse("rooms:list"))

    assert response.status_code == 200
    assert len(response.context["rooms"]) == count


def test_room_list_filters_by_site_and_flags_expired_rooms(staff_client):
    import datetime as dt

    RoomFactory(site=SiteFactory(name="Caen Campus 1"), name="Mercure (DR S03)", seats=37)
    RoomFactory(
        site=SiteFactory(name="Campus d'Alençon"),
        name="Salle B100",
        certified_until=dt.date(2020, 1, 1),
    )
    alencon = Site.objects.get(name="Campus d'Alençon")

    text = staff_client.get(reverse("rooms:list"), {"site": alencon.pk}).content.decode()

    assert "Salle B100" in text
    assert "(expirée)" in text
    assert "Mercure" not in text


def test_staff_create_a_room(staff_client):
    site = SiteFactory()

    response = staff_client.post(
        reverse("rooms:room_create"),
        {"site": site.pk, "building": "Bâtiment M", "name": "Venus (SC S36)", "seats": "50"},
    )

    assert response.status_code == 302
    assert Room.objects.get().seats == 50


def test_a_duplicate_room_name_gets_a_french_error(staff_client):
    room = RoomFactory(name="Jupiter (SC S37)")

    response = staff_client.post(
        reverse("rooms:room_create"),
        {"site": room.site.pk, "name": "Jupiter (SC S37)", "seats": "18"},
    )

    assert response.status_code == 200
    assert Room.objects.count() == 1
    assert "existe déjà" in response.content.decode()


def test_zero_seats_is_refused_by_the_form(staff_client):
    site = SiteFactory()

    response = staff_client.post(
        reverse("rooms:room_create"), {"site": site.pk, "name": "X", "seats": "0"}
    )

    assert response.status_code == 200
    assert not Room.objects.exists()


def test_staff_edit_a_site(staff_client):
    site = SiteFactory(name="Saint Lô")

    staff_client.post(
        reverse("rooms:site_edit", kwargs={"pk": site.pk}), {"name": "Campus de Saint-Lô"}
    )

    site.refresh_from_db()
    assert site.name == "Campus de Saint-Lô"


def test_students_may_not_manage_rooms(client, people):
    client.force_login(people["student_a"])

    assert client.get(reverse("rooms:list")).status_code == 403
