"""Office hours: one rule, exceptions, Paris wall-clock time across the DST Sundays."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pixoffice.events.recurrence import occurrences
from tests.factories.events import OfficeHoursFactory

PARIS = ZoneInfo("Europe/Paris")


def window(a, b):
    return dt.datetime(*a, tzinfo=PARIS), dt.datetime(*b, tzinfo=PARIS)


@pytest.mark.django_db
def test_tuesday_and_thursday_at_14_on_both_sides_of_the_october_change():
    hours = OfficeHoursFactory()  # Tue/Thu 14:00–16:00; summer time ends Sun 25/10/2026
    since, until = window((2026, 10, 20), (2026, 10, 30))

    found = list(occurrences(hours, since=since, until=until))

    assert [(s.strftime("%a %d/%m %H:%M"), e.strftime("%H:%M")) for s, e in found] == [
        ("Tue 20/10 14:00", "16:00"),
        ("Thu 22/10 14:00", "16:00"),
        ("Tue 27/10 14:00", "16:00"),
        ("Thu 29/10 14:00", "16:00"),
    ]
    assert [s.astimezone(dt.UTC).hour for s, _ in found] == [12, 12, 13, 13]


@pytest.mark.django_db
def test_the_march_change_and_exception_dates():
    hours = OfficeHoursFactory(exdates=["2027-04-01"])  # summer time starts Sun 28/03/2027
    since, until = window((2027, 3, 23), (2027, 4, 2))

    found = [s for s, _ in occurrences(hours, since=since, until=until)]

    assert [s.strftime("%d/%m %H:%M") for s in found] == [
        "23/03 14:00",
        "25/03 14:00",
        "30/03 14:00",
    ]
    assert [s.astimezone(dt.UTC).hour for s in found] == [13, 13, 12]
