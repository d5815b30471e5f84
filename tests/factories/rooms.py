import datetime as dt

import factory

from rooms.models import Room, Site


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ["name"]

    name = "Caen Campus 1"
    address = "Esplanade de la Paix, 14000 Caen"


class RoomFactory(factory.django.DjangoModelFactory):
    """Certified until the end of the 2026-2027 year."""

    class Meta:
        model = Room

    site = factory.SubFactory(SiteFactory)
    building = "Bâtiment D (Droit)"
    name = factory.Sequence(lambda n: f"Salle {n}")
    seats = 30
    certified_until = dt.date(2027, 8, 31)
    wheelchair_accessible = True
