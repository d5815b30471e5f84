"""The office half of a student's copy: certification, workshops, emails and
reminders, the calendar feed, the copies produced (``personal_data`` documents the
structure)."""

from django.db.models import OuterRef, Q, Subquery

from certification.models import (
    AllocationAssignment,
    Candidate,
    CertificationResult,
    Unavailability,
)
from pixoffice.accounts.models import Student
from pixoffice.events.models import Registration
from pixoffice.mail.models import Attachment, Message
from pixoffice.portal.models import CalendarFeed
from pixoffice.reminders.models import ReminderRun

from .models import PersonalDataExport
from .personal_data_learning import name_of


def _session(session) -> dict | None:
    if session is None:
        return None
    return {
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "room": str(session.room),
        "status": session.status,
        "status_label": session.get_status_display(),
        "pix_session_number": session.pix_session_number,
    }


def certification(student: Student) -> dict:
    """Candidacies (and their convocation's end), slots declared, results, allocation
    proposals (4 queries)."""
    candidacies = Candidate.objects.filter(student=student).select_related("session__room__site")
    slots = Unavailability.objects.filter(student=student).order_by("starts_at", "pk")
    results = CertificationResult.objects.filter(student=student).select_related("session")
    proposals = AllocationAssignment.objects.filter(student=student).select_related(
        "run", "session__room__site"
    )
    return {
        "candidacies": [
            {
                "session": _session(c.session),
                "extra_time_percent": c.extra_time_percent,
                "attendance": c.attendance,
                "attendance_label": c.get_attendance_display(),
                "placed_at": c.placed_at,
                "convocation_end": c.ends_at,
            }
            for c in candidacies.order_by("session__starts_at", "pk")
        ],
        "unavailabilities": [
            {"starts_at": u.starts_at, "ends_at": u.ends_at, "reason": u.reason} for u in slots
        ],
        "results": [
            {
                "certification_number": r.certification_number,
                "session_number": r.session_number,
                "status": r.status,
                "status_label": r.get_status_display(),
                "level": r.level,
                "score": r.score,
                "competences": r.competences,
                "comment": r.comment,
                "centre": r.centre,
                "taken_on": r.taken_on,
                "first_name": r.first_name,
                "last_name": r.last_name,
                "birth_date": r.birth_date,
                "birth_place": r.birth_place,
                "external_id": r.external_id,
                "kind": r.kind,
                "imported_at": r.imported_at,
            }
            for r in results.order_by("taken_on", "certification_number")
        ],
        "allocation_proposals": [
            {
                "run": a.run_id,
                "created_at": a.run.created_at,
                "status": a.run.status,
                "status_label": a.run.get_status_display(),
                "session": _session(a.session),
                "reason": a.reason,
                "reason_label": a.get_reason_display(),
                "detail": a.detail,
            }
            for a in proposals.order_by("run__created_at", "run_id")
        ],
    }


def events(student: Student) -> dict:
    registrations = (
        Registration.objects.filter(student=student)
        .select_related("workshop__room__site")
        .order_by("created_at", "pk")
    )
    return {
        "registrations": [
            {
                "workshop": r.workshop.title,
                "start": r.workshop.start,
                "end": r.workshop.end,
                "location": r.workshop.location,
                "status": r.status,
                "status_label": r.get_status_display(),
                "created_at": r.created_at,
                "cancelled_at": r.cancelled_at,
            }
            for r in registrations
        ]
    }


def mail_and_reminders(student: Student) -> dict:
    """Every email of the outbox to the student (linked to them, or to their address and
    linked to nobody), with
    its attachments' names; those a reminder rule sent are listed again under
    ``reminders`` (2 queries, the reminder read in the same one)."""
    to_them = Q(student=student)
    if student.email:  # an email linked to nobody (never one linked to another student)
        to_them |= Q(student__isnull=True, to__iexact=student.email)
    runs = ReminderRun.objects.filter(batch=OuterRef("batch_id"))
    messages = list(
        Message.objects.filter(to_them)
        .annotate(
            reminder_rule=Subquery(runs.values("rule__name")[:1]),
            reminder_occurrence=Subquery(runs.values("occurrence")[:1]),
        )
        .order_by("created_at", "pk")
    )
    names: dict[int, list] = {}
    attachments = (
        Attachment.objects.filter(message__in=Message.objects.filter(to_them).values("pk"))
        .values_list("message_id", "filename")
        .order_by("pk")
    )
    for message_id, filename in attachments:
        names.setdefault(message_id, []).append(filename)
    items, reminders = [], []
    for m in messages:
        reminder = None
        if m.reminder_rule is not None:
            reminder = {"rule": m.reminder_rule, "occurrence": m.reminder_occurrence}
            reminders.append(
                {
                    "created_at": m.created_at,
                    "subject": m.subject,
                    "rule": m.reminder_rule,
                    "occurrence": m.reminder_occurrence,
                }
            )
        items.append(
            {
                "created_at": m.created_at,
                "sent_at": m.sent_at,
                "to": m.to,
                "subject": m.subject,
                "kind": m.kind,
                "status": m.status,
                "status_label": m.get_status_display(),
                "text": m.text,
                "attachments": names.get(m.pk, []),
                "reminder": reminder,
            }
        )
    return {"mail": {"messages": items}, "reminders": {"messages": reminders}}


def calendar(student: Student) -> dict:
    feed = CalendarFeed.objects.filter(student=student).first()
    return {"feed": None if feed is None else {"created_at": feed.created_at}}


def privacy(student: Student) -> dict:
    exports = PersonalDataExport.objects.filter(student=student).select_related("by")
    return {
        "exports": [
            {
                "at": e.at,
                "by": name_of(e.by) or e.by_email,
                "format": e.format,
                "format_label": e.get_format_display(),
            }
            for e in exports.order_by("at", "pk")
        ]
    }
