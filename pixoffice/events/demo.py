"""Demo data: Saint-Étienne's four support sessions (one per department, in the week of
13 October of the demo year, on the seeds' weekdays), two workshops (Strasbourg's
season: registration from 12 February) and the office hours (Tuesday and Thursday
14:00–16:00, bureau 1101, but not during the Christmas holidays: EXDATEs). The
certification workshop is in Strasbourg's salle PIX du Patio when ``rooms``' demo has
it. Safe to run again."""

import datetime as dt
from zoneinfo import ZoneInfo

from rooms.models import Room

from .models import OfficeHours, SupportSession, Workshop
from .recurrence import parse_rule

PARIS = ZoneInfo("Europe/Paris")

# programme, weekday (0 = Monday), start, end — from the seeds (Tue 14/10 etc.)
SESSIONS = [
    ("L2 Sociologie", 0, (12, 0), (13, 0)),
    ("L2 Géographie", 1, (12, 30), (13, 30)),
    ("L2 Histoire", 2, (12, 0), (13, 0)),
    ("L2 SED", 3, (12, 0), (13, 0)),
]


def support_week_monday(year: int) -> dt.date:
    """The Monday of the week holding 13–16 October (the seeds' week) in ``year``."""
    day = dt.date(year, 10, 13)
    if day.weekday() <= 3:
        return day - dt.timedelta(days=day.weekday())
    return day + dt.timedelta(days=7 - day.weekday())


def christmas_holidays(year: int) -> tuple[dt.date, dt.date]:
    """[first day, day classes resume) of the Christmas holidays that start in ``year``:
    from the Saturday on or before 20 December, for two weeks (2026: 19/12 → 04/01)."""
    start = dt.date(year, 12, 20)
    start -= dt.timedelta(days=(start.weekday() - 5) % 7)
    return start, start + dt.timedelta(days=16)


def dates_without(first: dt.datetime, rule: str, *, since: dt.date, until: dt.date) -> list[str]:
    """The dates of ``rule``'s occurrences in [since, until), as EXDATE material."""
    local = parse_rule(rule, first_start=first)
    low = dt.datetime.combine(since, dt.time())
    high = dt.datetime.combine(until, dt.time())
    return [d.date().isoformat() for d in local.between(low, high, inc=True) if d < high]


def at(day: dt.date, hm: tuple[int, int]) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, *hm, tzinfo=PARIS)


def load_events_demo(year, programmes: dict) -> int:
    """``year``: the AcademicYear; ``programmes``: name → Programme. Returns the count."""
    monday = support_week_monday(year.start.year)
    for name, weekday, start, end in SESSIONS:
        day = monday + dt.timedelta(days=weekday)
        SupportSession.objects.update_or_create(
            programme=programmes[name],
            title=f"Séance d'accompagnement Pix — {name}",
            defaults={"start": at(day, start), "end": at(day, end), "place": "salle informatique"},
        )
    spring = year.start.year + 1
    patio = Room.objects.filter(name="Salle PIX du Patio").first()
    for title, programme, day, room in [
        ("Atelier : préparer la certification Pix", "L2 Géographie", dt.date(spring, 2, 26), patio),
        ("Atelier : sécuriser ses données", "L2 Histoire", dt.date(spring, 3, 12), None),
    ]:
        Workshop.objects.update_or_create(
            title=title,
            programme=programmes[programme],
            defaults={
                "start": at(day, (14, 0)),
                "end": at(day, (16, 0)),
                "room": room,
                "place": "" if room else "bureau 1101",
                "seats": 20,
                "registration_opens": at(dt.date(spring, 2, 12), (9, 0)),
            },
        )
    first = year.start
    while first.weekday() != 1:  # the first Tuesday of the year
        first += dt.timedelta(days=1)
    until = year.end.strftime("%Y%m%d")
    rule = f"FREQ=WEEKLY;BYDAY=TU,TH;UNTIL={until}T235959"
    holidays = christmas_holidays(year.start.year)
    OfficeHours.objects.update_or_create(
        title="Permanence du bureau Pix",
        programme=None,
        defaults={
            "first_start": at(first, (14, 0)),
            "first_end": at(first, (16, 0)),
            "rrule": rule,
            "exdates": dates_without(
                at(first, (14, 0)), rule, since=holidays[0], until=holidays[1]
            ),
            "place": "bureau 1101",
        },
    )
    return len(SESSIONS) + 3
