"""Office hours' occurrences, from their RRULE and exception dates (python-dateutil).

The rule runs on Paris wall-clock time: 14:00 stays 14:00 on both sides of a DST
change (the UTC instant moves by an hour)."""

import datetime as dt
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

PARIS = ZoneInfo("Europe/Paris")


def parse_rule(rule: str, *, first_start: dt.datetime):
    """The dateutil rule; raises ``ValueError`` on a malformed one."""
    local = first_start.astimezone(PARIS).replace(tzinfo=None)
    text = rule.strip().removeprefix("RRULE:")
    # UNTIL in UTC (…Z) needs an aware start: compare in Paris naive time instead
    return rrulestr(text, dtstart=local, ignoretz=True)


def occurrences(hours, *, since: dt.datetime, until: dt.datetime):
    """``(start, end)`` pairs, aware in Paris time, that begin in [since, until)."""
    duration = hours.first_end - hours.first_start
    skipped = {dt.date.fromisoformat(d) for d in hours.exdates}
    rule = parse_rule(hours.rrule, first_start=hours.first_start)
    low = since.astimezone(PARIS).replace(tzinfo=None)
    high = until.astimezone(PARIS).replace(tzinfo=None)
    for local in rule.between(low, high, inc=True):
        if local.date() in skipped or local >= high:
            continue
        yield local.replace(tzinfo=PARIS), (local + duration).replace(tzinfo=PARIS)
