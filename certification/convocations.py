"""Convocation emails through the outbox, each with the session as an ``.ics``.

One message per candidate and *version* of what their convocation says. The key is
``convocation:session:<id>/candidate:<id>/version:<n>-<digest>``: ``n`` counts the
candidate's earlier convocations (1 for the first) and ``digest`` is a short hash of
the facts (start, the candidate's end, site, building, room). So:

- publishing, republishing or saving anything that changes none of the facts finds
  the latest message with the same digest and queues nothing (never twice);
- a session that moves (time, room), or a candidate placed in another session (even
  back into one they had left), has new facts: a new version, one new message;
- two workers queueing the same change make the same key: the outbox keeps one.

Queued when a session is published (``services.publish_session``) and, for a
published session still to come, when a candidate is saved (placed, moved, extra
time changed) or the session is saved: the receivers below, after commit. Bulk writes
that bypass ``save()`` call ``queue_after_commit`` themselves (in-process for a few
candidates, through the task for many).
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from pixoffice.mail import services as mail
from pixoffice.mail.models import Message

from . import documents
from .models import Candidate, CertificationSession

logger = logging.getLogger(__name__)
KIND = "convocation"
UID_DOMAIN = "pixoffice"  # the calendar feed's UIDs (pixoffice.portal.agenda) end alike


def calendar_uid(candidate: Candidate) -> str:
    """The iCal UID of a candidate's convocation, the same in the email's ``.ics`` and
    in the student's calendar feed: it follows the candidacy when it moves."""
    return f"convocation-{candidate.pk}@{UID_DOMAIN}"


def facts_digest(candidate: Candidate) -> str:
    session, room = candidate.session, candidate.session.room
    facts = "|".join(
        str(x)
        for x in [
            session.starts_at.isoformat(),
            candidate.ends_at.isoformat(),
            room.pk,
            room.site.name,
            room.site.address,
            room.building,
            room.name,
        ]
    )
    return hashlib.sha256(facts.encode()).hexdigest()[:12]


def message_key(candidate: Candidate, *, version: int, digest: str) -> str:
    return (
        f"convocation:session:{candidate.session_id}/candidate:{candidate.pk}"
        f"/version:{version}-{digest}"
    )


def _previous(candidate: Candidate) -> list[str]:
    """The keys of the candidate's earlier convocations (oldest first, one query)."""
    marker = f"/candidate:{candidate.pk}/"
    keys = Message.objects.filter(student_id=candidate.student_id, kind=KIND).order_by("pk")
    return [k for k in keys.values_list("key", flat=True) if marker in k]


def candidacies_of(student):
    """The student's candidacies the calendar shows: published and closed sessions."""
    return (
        Candidate.objects.filter(student=student, session__status__in=documents.DOCUMENT_STATUSES)
        .select_related("student__programme", "session__room__site")
        .order_by("session__starts_at")
    )


def location_text(page: dict) -> str:
    parts = [page["site"], page["building"], _("salle %(room)s") % {"room": page["room"]}]
    text = ", ".join(p for p in parts if p)
    return f"{text} ({page['address']})" if page["address"] else text


def location_of(candidate: Candidate) -> str:
    """Where the candidate sits, in one line (site, building, room, address)."""
    return location_text(documents.convocation_page(candidate))


def session_ics(candidate: Candidate, *, sequence: int = 0, link: str = "") -> bytes:
    """The candidate's session as an iCalendar file: their own end time, Europe/Paris."""
    from icalendar import Calendar, Event  # noqa: PLC0415 (heavy: only convocations use it)

    page = documents.convocation_page(candidate)
    cal = Calendar()
    cal.add("prodid", "-//pixoffice//convocation//FR")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", calendar_uid(candidate))
    event.add("dtstamp", timezone.now())
    event.add("sequence", sequence)
    event.add("summary", _("Certification Pix"))
    event.add("dtstart", page["start"])
    event.add("dtend", page["end"])
    event.add("location", location_text(page))
    event.add(
        "description",
        _("À apporter : vos identifiant et mot de passe Pix, une pièce d'identité avec photo."),
    )
    if link:
        event.add("url", link)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def queue_convocation(candidate: Candidate, *, batch=None, language: str = "fr"):
    """Queue the candidate's convocation unless the latest one says the same; returns
    ``(message or None, created)``."""
    student = candidate.student
    to = student.email or getattr(student.user, "email", "")
    if not to:
        return None, False
    digest = facts_digest(candidate)
    previous = _previous(candidate)
    if previous and previous[-1].endswith(f"-{digest}"):
        return Message.objects.get(key=previous[-1]), False
    version = len(previous) + 1
    link = settings.SITE_URL.rstrip("/") + reverse("certification:mine")
    page = documents.convocation_page(candidate)
    context = {**page, "link": link, "moved": version > 1, "location": location_text(page)}
    start = context["start"]
    return mail.queue_message(
        key=message_key(candidate, version=version, digest=digest),
        to=to,
        template=KIND,
        context=context,
        language=language,
        student=student,
        batch=batch,
        attachments=[
            (
                f"certification-pix-{start:%Y-%m-%d}.ics",
                session_ics(candidate, sequence=version - 1, link=link),
                "text/calendar",
            )
        ],
    )


def _is_open(session: CertificationSession) -> bool:
    return session.status == session.Status.PUBLISHED and session.starts_at > timezone.now()


def queue_convocations(*, session_ids=(), candidate_ids=(), label: str = "") -> int:
    """Queue the convocations of the candidates of ``session_ids`` and of
    ``candidate_ids`` whose session is published and still to come; one bulk send (a
    mail ``Batch``) holds those queued now. Returns how many were queued."""
    candidates = (
        Candidate.objects.filter(session_id__in=list(session_ids))
        | Candidate.objects.filter(pk__in=list(candidate_ids))
    ).select_related("student__user", "student__programme", "session__room__site")
    batch, queued = None, 0
    for candidate in candidates.order_by("session__starts_at", "pk"):
        if not _is_open(candidate.session):
            continue
        if batch is None:
            start = timezone.localtime(candidate.session.starts_at)
            batch = mail.create_batch(
                label=label
                or _("Convocations — certification du %(day)s") % {"day": f"{start:%d/%m/%Y}"}
            )
        _message, created = queue_convocation(candidate, batch=batch)
        queued += created
    if batch is not None and not queued:
        batch.delete()  # nothing new: no empty bulk send in the outbox
    return queued


def queue_after_commit(*, session_ids=(), candidate_ids=()) -> None:
    """Once the transaction commits: in-process for a few candidates (a session
    published, a candidate moved), through the ``mail`` queue's task for more than
    ``CONVOCATION_TASK_THRESHOLD`` (an allocation applied to published sessions), so
    that no request renders thousands of messages; in-process again if the broker is
    unreachable."""
    session_ids, candidate_ids = list(session_ids), list(candidate_ids)

    def run():
        many = len(candidate_ids) > settings.CONVOCATION_TASK_THRESHOLD or (
            session_ids
            and Candidate.objects.filter(session_id__in=session_ids).count()
            > settings.CONVOCATION_TASK_THRESHOLD
        )
        if many:
            from .tasks import queue_convocations as task  # noqa: PLC0415 (import cycle)

            try:
                task.delay(session_ids, candidate_ids)
                return
            except BrokerError:
                logger.warning("File de tâches injoignable : convocations préparées ici.")
        queue_convocations(session_ids=session_ids, candidate_ids=candidate_ids)

    transaction.on_commit(run)


@receiver(post_save, sender=Candidate, dispatch_uid="certification.convocation.candidate")
def candidate_saved(sender, instance: Candidate, raw=False, **kwargs):
    if not raw:
        queue_after_commit(candidate_ids=[instance.pk])


@receiver(post_save, sender=CertificationSession, dispatch_uid="certification.convocation.session")
def session_saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    """A published session saved (its time, room or durations edited): its candidates
    whose convocation no longer says the same get a new one."""
    if raw or created or instance.status != instance.Status.PUBLISHED:
        return
    if update_fields and set(update_fields) <= {"occupied_until"}:
        return  # a candidate removed: the others' convocations did not change
    queue_after_commit(session_ids=[instance.pk])
