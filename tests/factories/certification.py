import datetime as dt
from zoneinfo import ZoneInfo

import factory

from certification.models import Candidate, CertificationSession
from tests.factories.accounts import AcademicYearFactory, StudentFactory
from tests.factories.rooms import RoomFactory

PARIS = ZoneInfo("Europe/Paris")


def paris(year, month, day, hour=9, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=PARIS)


class SessionFactory(factory.django.DjangoModelFactory):
    """A draft 2-hour session on Thursday 11 March 2027 at 9:00 (Paris)."""

    class Meta:
        model = CertificationSession

    academic_year = factory.SubFactory(AcademicYearFactory)
    room = factory.SubFactory(RoomFactory)
    starts_at = factory.LazyFunction(lambda: paris(2027, 3, 11))
    seats = 20
    occupied_until = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=120))


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    session = factory.SubFactory(SessionFactory)
    student = factory.SubFactory(StudentFactory)
    extra_time_percent = factory.LazyAttribute(lambda o: o.student.extra_time_percent)
