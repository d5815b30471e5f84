"""The staff calendar: one month of what concerns the programmes a staff member
follows (or one of them), each item linking to its staff page.

Campaign and badge deadlines, support sessions, workshops (with their seats taken and
waiting list), office hours (expanded from their rule, exceptions skipped) and
certification sessions (open to one of the programmes, or to every programme). A
fixed number of queries whatever the month holds (one per kind, one per prefetch).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.queries import campaigns_visible_to
from certification.models import CertificationSession
from pixoffice.accounts.models import Programme
from pixoffice.badges.models import BadgeRequirement
from pixoffice.events.models import OfficeHours, SupportSession, Workshop
from pixoffice.events.recurrence import occurrences

from .agenda import PARIS, Item, uid


@dataclass
class StaffItem(Item):
    programmes: str = ""  # the names of the item's programmes in scope, or « toutes »
    detail: str = ""  # seats taken, candidates placed, a session's status


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    since = dt.datetime(year, month, 1, tzinfo=PARIS)
    until = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=PARIS)
    return since, until


def names(programmes, scope_ids: set[int]) -> str:
    shown = sorted(p.name for p in programmes if p.pk in scope_ids)
    return ", ".join(shown) or _("toutes les formations")


def programme_names():
    """The prefetch of the objects' programmes (names only): one query for all."""
    return Prefetch("programmes", queryset=Programme.objects.only("pk", "name"))


def deadline_items(user, scope_ids, since, until) -> list[StaffItem]:
    campaigns = (
        campaigns_visible_to(user)
        .filter(programmes__in=scope_ids, deadline__gte=since, deadline__lt=until)
        .prefetch_related(programme_names())
        .distinct()
    )
    items = [
        StaffItem(
            uid=uid("campagne", c.pk),
            kind="deadline",
            title=_("Date limite de la campagne Pix %(code)s (%(name)s)")
            % {"code": c.code, "name": c.name},
            start=c.deadline,
            link=reverse("campaigns:detail", args=[c.pk]),
            programmes=names(c.programmes.all(), scope_ids),
        )
        for c in campaigns
    ]
    requirements = (
        BadgeRequirement.objects.filter(
            programmes__in=scope_ids, deadline__gte=since, deadline__lt=until
        )
        .prefetch_related(programme_names())
        .distinct()
    )
    items += [
        StaffItem(
            uid=uid("badge", r.pk),
            kind="deadline",
            title=_("Date limite de dépôt du badge : %(name)s") % {"name": r.name},
            start=r.deadline,
            link=reverse("badges:follow_up", args=[r.pk]),
            programmes=names(r.programmes.all(), scope_ids),
        )
        for r in requirements
    ]
    return items


def event_items(scope, since, until) -> list[StaffItem]:
    sessions = SupportSession.objects.filter(
        programme__in=scope, start__gte=since, start__lt=until
    ).select_related("programme", "room__site")
    items = [
        StaffItem(
            uid=uid("seance", s.pk),
            kind="session",
            title=s.title,
            start=s.start,
            end=s.end,
            place=s.location,
            sequence=s.sequence,
            link=reverse("events:edit", args=["seance", s.pk]),
            programmes=s.programme.name,
        )
        for s in sessions
    ]
    workshops = (
        Workshop.objects.filter(programme__in=scope, start__gte=since, start__lt=until)
        .select_related("programme", "room__site")
        .annotate(
            registered=Count("registrations", filter=Q(registrations__status="registered")),
            waiting=Count("registrations", filter=Q(registrations__status="waiting")),
        )
    )
    items += [
        StaffItem(
            uid=uid("atelier", w.pk),
            kind="workshop",
            title=w.title,
            start=w.start,
            end=w.end,
            place=w.location,
            sequence=w.sequence,
            link=reverse("events:workshop", args=[w.pk]),
            programmes=w.programme.name,
            detail=_("%(r)s inscrits sur %(s)s places, %(n)s en attente")
            % {"r": w.registered, "s": w.seats, "n": w.waiting},
        )
        for w in workshops
    ]
    hours = OfficeHours.objects.filter(
        Q(programme__isnull=True) | Q(programme__in=scope), first_start__lt=until
    ).select_related("programme", "room__site")
    for h in hours:
        for start, end in occurrences(h, since=since, until=until):
            items.append(
                StaffItem(
                    uid=uid("permanence", h.pk),
                    kind="office_hours",
                    title=h.title,
                    start=start,
                    end=end,
                    place=h.location,
                    link=reverse("events:edit", args=["permanence", h.pk]),
                    programmes=h.programme.name if h.programme_id else _("toutes les formations"),
                )
            )
    return items


def certification_items(scope_ids, since, until) -> list[StaffItem]:
    """Sessions open to one of the programmes, or to all (no programme ticked)."""
    sessions = (
        CertificationSession.objects.filter(starts_at__gte=since, starts_at__lt=until)
        .filter(Q(programmes__in=scope_ids) | Q(programmes__isnull=True))
        .select_related("room__site")
        .annotate(placed=Count("candidates", distinct=True))
        .prefetch_related(programme_names())
        .distinct()
    )
    return [
        StaffItem(
            uid=uid("certification", s.pk),
            kind="certification",
            title=_("Session de certification Pix"),
            start=s.starts_at,
            end=s.ends_at,
            place=str(s.room),
            link=reverse("certification:session", args=[s.pk]),
            programmes=names(s.programmes.all(), scope_ids),
            detail=ngettext(
                "%(n)s candidat placé sur %(s)s places (%(status)s)",
                "%(n)s candidats placés sur %(s)s places (%(status)s)",
                s.placed,
            )
            % {"n": s.placed, "s": s.seats, "status": s.get_status_display()},
        )
        for s in sessions
    ]


def staff_month_items(user, *, programmes, year: int, month: int) -> list[StaffItem]:
    """Every item of one month for ``programmes`` (a list the user follows), in time
    order. Seven to ten queries, whatever the number of items."""
    since, until = month_bounds(year, month)
    scope_ids = {p.pk for p in programmes}
    items = deadline_items(user, scope_ids, since, until)
    items += event_items(scope_ids, since, until)
    items += certification_items(scope_ids, since, until)
    return sorted(items, key=lambda i: (i.start, i.title))
