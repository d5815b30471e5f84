"""What a student must do and when: the calendar's items, from every app below.

One ``Item`` per deadline or event, aware in Paris time, each with a stable ``uid``
(the iCal UID), a link to what to do and, for office hours, their recurrence rule.
"""

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from certification import convocations as certification_convocations
from pixoffice.accounts.models import AcademicYear
from pixoffice.badges.queries import requirements_for
from pixoffice.events import queries as event_queries
from pixoffice.events.models import Registration
from pixoffice.events.recurrence import occurrences

PARIS = ZoneInfo("Europe/Paris")
DOMAIN = "pixoffice"


@dataclass
class Item:
    uid: str
    kind: str  # deadline, session, workshop, office_hours, certification
    title: str
    start: dt.datetime
    end: dt.datetime | None = None
    place: str = ""
    link: str = ""
    sequence: int = 0
    rrule: str = ""  # office hours only: their rule and exceptions, for the feed
    exdates: list = field(default_factory=list)
    note: str = ""

    @property
    def local_start(self):
        return self.start.astimezone(PARIS)

    @property
    def local_end(self):
        return self.end.astimezone(PARIS) if self.end else None


def uid(kind: str, pk) -> str:
    return f"{kind}-{pk}@{DOMAIN}"


def deadlines(student) -> list[Item]:
    year = student.academic_year or AcademicYear.current()
    campaigns = Campaign.objects.filter(programmes=student.programme_id)
    if year is not None:
        campaigns = campaigns.filter(academic_year=year)
    items = [
        Item(
            uid=uid("campagne", c.pk),
            kind="deadline",
            title=_("Date limite de la campagne Pix %(code)s (%(name)s)")
            % {"code": c.code, "name": c.name},
            start=c.deadline,
            link=reverse("campaigns:mine") + f"#campagne-{c.pk}",
            note=_("Envoyez vos résultats sur Pix avec le code %(code)s.") % {"code": c.code},
        )
        for c in campaigns.order_by("deadline")
    ]
    items += [
        Item(
            uid=uid("badge", r.pk),
            kind="deadline",
            title=_("Date limite de dépôt du badge : %(name)s") % {"name": r.name},
            start=r.deadline,
            link=reverse("badges:my_badge"),
            note=_("Déposez votre Open Badge sur le site."),
        )
        for r in requirements_for(student)
    ]
    return items


def events(student) -> list[Item]:
    items = [
        Item(
            uid=uid("seance", s.pk),
            kind="session",
            title=s.title,
            start=s.start,
            end=s.end,
            place=s.location,
            sequence=s.sequence,
            link=reverse("portal:calendar") + f"?mois={timezone.localtime(s.start):%Y-%m}",
        )
        for s in event_queries.sessions_of_student(student)
    ]
    for r in event_queries.live_registrations_of(student):
        w = r.workshop
        waiting = r.status == Registration.Status.WAITING
        items.append(
            Item(
                uid=uid("atelier", w.pk),
                kind="workshop",
                title=(_("%(t)s (liste d'attente)") if waiting else "%(t)s") % {"t": w.title},
                start=w.start,
                end=w.end,
                place=w.location,
                sequence=w.sequence,
                link=reverse("events:my_workshops") + f"#atelier-{w.pk}",
            )
        )
    return items


def certification(student) -> list[Item]:
    """The student's convocations (published or closed sessions), ending at their own
    end time (extra time included); the UID is the one of the emailed ``.ics``."""
    return [
        Item(
            uid=certification_convocations.calendar_uid(c),
            kind="certification",
            title=_("Certification Pix"),
            start=c.session.starts_at,
            end=c.ends_at,
            place=certification_convocations.location_of(c),
            link=reverse("certification:mine"),
            note=_("À apporter : vos identifiant et mot de passe Pix, une pièce d'identité."),
        )
        for c in certification_convocations.candidacies_of(student)
    ]


def office_hours(student):
    return list(event_queries.office_hours_of_student(student))


def month_items(student, *, year: int, month: int) -> list[Item]:
    """Every item of one month (office hours expanded), in time order."""
    since = dt.datetime(year, month, 1, tzinfo=PARIS)
    until = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=PARIS)
    items = deadlines(student) + events(student) + certification(student)
    items = [i for i in items if since <= i.start < until]
    for hours in office_hours(student):
        for start, end in occurrences(hours, since=since, until=until):
            items.append(
                Item(
                    uid=uid("permanence", hours.pk),
                    kind="office_hours",
                    title=hours.title,
                    start=start,
                    end=end,
                    place=hours.location,
                )
            )
    return sorted(items, key=lambda i: (i.start, i.title))


def month_grid(items: list[Item], *, year: int, month: int) -> list[list[dict]]:
    """Weeks of days (Monday first), each day with its items (by Paris date)."""
    by_day: dict[dt.date, list[Item]] = {}
    for item in items:
        by_day.setdefault(item.local_start.date(), []).append(item)
    return [
        [
            {"date": day, "in_month": day.month == month, "items": by_day.get(day, [])}
            for day in week
        ]
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
