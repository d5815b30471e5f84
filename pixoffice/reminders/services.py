"""Running the due reminder rules into the outbox, exactly once per student and
occurrence.

A rule's occurrence is its target's moment (a deadline, a workshop's or a
certification session's start) minus
``days_before``, as a Paris date. It is due from that moment until the target. A run
started by a worker that died is taken again: every message's key
``reminder:<rule>/student:<id>/occurrence:<date>`` makes queueing it twice a no-op,
and the run is marked completed once all are queued. A run missed while the worker
was down is done when it comes back (still before the target), once.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Participation, Share
from certification import convocations
from certification.models import Candidate
from pixoffice.accounts.models import Student
from pixoffice.accounts.queries import enrolled
from pixoffice.badges.queries import badge_holders
from pixoffice.events.models import Registration
from pixoffice.mail import services as mail

from .models import ReminderRule, ReminderRun

PARIS = ZoneInfo("Europe/Paris")
Audience = ReminderRule.Audience


@dataclass
class RuleOutcome:
    rule: int
    name: str
    occurrence: str
    targeted: list[int] = field(default_factory=list)
    queued: int = 0
    skipped: str = ""

    def as_json(self) -> dict:
        return self.__dict__.copy()


def target_moment(rule: ReminderRule) -> dt.datetime:
    if rule.campaign_id:
        return rule.campaign.deadline
    if rule.badge_requirement_id:
        return rule.badge_requirement.deadline
    if rule.certification_session_id:
        return rule.certification_session.starts_at
    return rule.workshop.start


def occurrence_of(rule: ReminderRule) -> tuple[dt.datetime, dt.date]:
    """``days_before`` in Paris calendar days: 7 days before 27/10 23:59 is 20/10 23:59
    even across the October DST Sunday (168 hours would be 21/10 00:59)."""
    local = target_moment(rule).astimezone(PARIS).replace(tzinfo=None)
    moment = (local - dt.timedelta(days=rule.days_before)).replace(tzinfo=PARIS)
    return moment, moment.date()


def targeted_students(rule: ReminderRule):
    """Who a rule reminds; never a student who left the course (``Student.left_on``)."""
    return enrolled(_audience(rule))


def _audience(rule: ReminderRule):
    if rule.certification_session_id:  # convoked: the candidates of a published session
        session = rule.certification_session
        if session.status != session.Status.PUBLISHED:
            return Student.objects.none()
        return Student.objects.filter(certification_candidacies__session=session)
    if rule.workshop_id:
        return Student.objects.filter(
            registrations__workshop_id=rule.workshop_id,
            registrations__status=Registration.Status.REGISTERED,
        )
    if rule.campaign_id:
        campaign = rule.campaign
        students = Student.objects.filter(
            programme__in=campaign.programmes.all(), academic_year_id=campaign.academic_year_id
        )
        joined = Participation.objects.filter(campaign=campaign, student__isnull=False)
        if rule.audience == Audience.NOT_JOINED:
            return students.exclude(pk__in=joined.values("student_id"))
        shared = Share.objects.filter(participation__in=joined).values("participation__student_id")
        return students.filter(pk__in=joined.values("student_id")).exclude(pk__in=shared)
    requirement = rule.badge_requirement
    students = Student.objects.filter(
        programme__in=requirement.programmes.all(), academic_year_id=requirement.academic_year_id
    )
    return students.exclude(pk__in=badge_holders(requirement))


def context_of(rule: ReminderRule, student) -> dict:
    site = settings.SITE_URL.rstrip("/")
    if rule.campaign_id:
        what, code, link = rule.campaign.name, rule.campaign.code, reverse("campaigns:mine")
    elif rule.badge_requirement_id:
        what, code, link = rule.badge_requirement.name, "", reverse("badges:my_badge")
    elif rule.certification_session_id:
        return convocation_context(rule, student, site=site)
    else:
        what, code, link = rule.workshop.title, "", reverse("events:my_workshops")
    return {
        "student": student,
        "what": what,
        "code": code,
        "moment": target_moment(rule),
        "is_workshop": bool(rule.workshop_id),
        "link": site + link,
    }


def convocation_context(rule: ReminderRule, student, *, site: str) -> dict:
    """A convocation reminder: the session, and the student's own end time and place."""
    session = rule.certification_session
    candidate = (
        Candidate.objects.filter(session=session, student=student)
        .select_related("session__room__site")
        .first()
    )
    return {
        "student": student,
        "what": _("la certification Pix"),
        "code": "",
        "moment": session.starts_at,
        "is_workshop": False,
        "is_convocation": True,
        "end": candidate.ends_at if candidate else session.ends_at,
        "place": convocations.location_of(candidate) if candidate else str(session.room),
        "link": site + reverse("certification:mine"),
    }


def run_rule(rule: ReminderRule, *, now: dt.datetime, dry_run: bool = False) -> RuleOutcome:
    moment, occurrence = occurrence_of(rule)
    outcome = RuleOutcome(rule=rule.pk, name=rule.name, occurrence=occurrence.isoformat())
    if not moment <= now < target_moment(rule):
        outcome.skipped = "not_due"
        return outcome
    run = ReminderRun.objects.filter(rule=rule, occurrence=occurrence).first()
    if run is not None and run.completed:
        outcome.skipped = "done"
        return outcome
    students = list(targeted_students(rule).select_related("user").order_by("pk"))
    outcome.targeted = [s.pk for s in students]
    if dry_run:
        return outcome
    if run is None:
        try:
            with transaction.atomic():
                batch = mail.create_batch(label=f"{rule.name} — {occurrence:%d/%m/%Y}")
                run = ReminderRun.objects.create(rule=rule, occurrence=occurrence, batch=batch)
        except IntegrityError:  # a concurrent run made it: take it
            run = ReminderRun.objects.get(rule=rule, occurrence=occurrence)
    for student in students:
        to = student.email or getattr(student.user, "email", "")
        if not to:
            continue
        _message, created = mail.queue_message(
            key=f"reminder:{rule.pk}/student:{student.pk}/occurrence:{occurrence.isoformat()}",
            to=to,
            template="reminder",
            context=context_of(rule, student),
            student=student,
            batch=run.batch,
            hold=rule.hold,
        )
        outcome.queued += created
    ReminderRun.objects.filter(pk=run.pk).update(completed=True, targeted=len(students))
    return outcome


def run_due(*, now: dt.datetime | None = None, dry_run: bool = False) -> list[RuleOutcome]:
    now = now or timezone.now()
    rules = ReminderRule.objects.filter(active=True).select_related(
        "campaign", "badge_requirement", "workshop", "certification_session__room__site"
    )
    return [run_rule(rule, now=now, dry_run=dry_run) for rule in rules.order_by("pk")]
