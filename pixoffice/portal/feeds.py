"""The student's iCal feed (RFC 5545) with the ``icalendar`` library: stable UIDs,
``SEQUENCE`` bumped when an item moves (time or room), ``VTIMEZONE`` Europe/Paris, office hours as
one event with ``RRULE`` and ``EXDATE``."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import agenda
from .models import ItemVersion

VERSIONED = {"deadline", "certification"}  # the others count their moves themselves


def versions_of(items: list[agenda.Item]) -> None:
    """Deadlines and certification convocations carry no version of their own:
    ``ItemVersion`` remembers where each was last seen and counts its moves (two
    queries, and one write per moved item)."""
    deadlines = [i for i in items if i.kind in VERSIONED]
    known = {v.uid: v for v in ItemVersion.objects.filter(uid__in=[i.uid for i in deadlines])}
    new = []
    with transaction.atomic():
        for item in deadlines:
            version = known.get(item.uid)
            if version is None:
                new.append(
                    ItemVersion(uid=item.uid, start=item.start, end=item.end, place=item.place)
                )
            elif (version.start, version.end) != (item.start, item.end) or (
                version.place is not None and version.place != item.place
            ):
                version.sequence += 1
                version.start, version.end, version.place = item.start, item.end, item.place
                version.save(update_fields=["sequence", "start", "end", "place"])
            elif version.place is None:
                version.place = item.place
                version.save(update_fields=["place"])
            item.sequence = version.sequence if version else 0
        ItemVersion.objects.bulk_create(new, ignore_conflicts=True)


def feed_items(student) -> list[agenda.Item]:
    items = agenda.deadlines(student) + agenda.events(student) + agenda.certification(student)
    versions_of(items)
    for hours in agenda.office_hours(student):
        start = hours.first_start.astimezone(agenda.PARIS)
        items.append(
            agenda.Item(
                uid=agenda.uid("permanence", hours.pk),
                kind="office_hours",
                title=hours.title,
                start=start,
                end=hours.first_end.astimezone(agenda.PARIS),
                place=hours.location,
                sequence=hours.sequence,
                rrule=hours.rrule.removeprefix("RRULE:"),
                exdates=[
                    dt.datetime.combine(dt.date.fromisoformat(d), start.timetz())
                    for d in hours.exdates
                ],
            )
        )
    return items


def ical_feed(student, *, name: str) -> bytes:
    from icalendar import Calendar, Event, vRecur  # noqa: PLC0415 (heavy: only feeds need it)

    cal = Calendar()
    cal.add("prodid", "-//pixoffice//calendrier//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    stamp = timezone.now()
    site = settings.SITE_URL.rstrip("/")
    for item in feed_items(student):
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", item.sequence)
        event.add("summary", item.title)
        event.add("dtstart", item.local_start)
        event.add("dtend", item.local_end or item.local_start)
        if item.place:
            event.add("location", item.place)
        if item.note:
            event.add("description", item.note)
        if item.link:
            event.add("url", site + item.link)
        if item.rrule:
            event.add("rrule", vRecur.from_ical(item.rrule))
            for exdate in item.exdates:
                event.add("exdate", exdate)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
