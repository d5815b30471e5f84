import datetime as dt
from zoneinfo import ZoneInfo

import factory

from pixoffice.events.models import OfficeHours, SupportSession, Workshop

from .accounts import ProgrammeFactory

PARIS = ZoneInfo("Europe/Paris")


class SupportSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportSession

    programme = factory.SubFactory(ProgrammeFactory)
    title = "Séance d'accompagnement Pix"
    start = dt.datetime(2026, 10, 13, 12, 30, tzinfo=PARIS)
    end = dt.datetime(2026, 10, 13, 13, 30, tzinfo=PARIS)
    place = "salle informatique"


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Atelier {n}")
    start = dt.datetime(2099, 2, 26, 14, 0, tzinfo=PARIS)
    end = dt.datetime(2099, 2, 26, 16, 0, tzinfo=PARIS)
    place = "bureau 1101"
    seats = 2


class OfficeHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeHours

    title = "Permanence"
    programme = None
    first_start = dt.datetime(2026, 9, 1, 14, 0, tzinfo=PARIS)
    first_end = dt.datetime(2026, 9, 1, 16, 0, tzinfo=PARIS)
    rrule = "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270630T235959"
    place = "bureau 1101"
