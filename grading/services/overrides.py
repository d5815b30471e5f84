"""Setting a note by hand, and going back to the computed note: a reason, an audit line."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from grading import computation as calc
from grading.models import Note, NoteChange
from grading.services.schemes import WAIT_MS, GradingError
from pixoffice.accounts.models import User
from pixoffice.core.locking import lock_rows

OVERRIDE_FIELDS = ["override_value", "override_result", "override_reason", "override_by"]
OVERRIDE_FIELDS += ["override_at", "needs_republication"]


def override_note(note: Note, *, value, result: str, reason: str, by: User) -> Note:
    """Set a note by hand; the reason is required and the change is audited."""
    if value is not None and not Decimal(0) <= value <= note.scheme.scale:
        raise GradingError(
            f"La note doit être comprise entre 0 et {calc.number_text(note.scheme.scale)}."
        )
    return _set_override(note, value, result, reason, by, NoteChange.Kind.OVERRIDE)


def remove_override(note: Note, *, reason: str, by: User) -> Note:
    """Back to the computed note; the reason is required and the change is audited."""
    return _set_override(note, None, "", reason, by, NoteChange.Kind.OVERRIDE_REMOVED)


def _set_override(note: Note, value, result: str, reason: str, by: User | None, kind) -> Note:
    reason = (reason or "").strip()
    if not reason:
        raise GradingError("Indiquez le motif de la modification.")
    with transaction.atomic():
        lock_rows(Note, [note.pk], timeout_ms=WAIT_MS)
        note = Note.objects.get(pk=note.pk)
        if kind == NoteChange.Kind.OVERRIDE_REMOVED and not note.is_overridden:
            return note
        old_value, old_result = note.final_value, note.final_result
        set_it = kind == NoteChange.Kind.OVERRIDE
        now = timezone.now()
        note.override_value, note.override_result = value, result
        note.override_reason = reason if set_it else ""
        note.override_by, note.override_at = (by, now) if set_it else (None, None)
        note.needs_republication = note.differs_from_published
        note.save(update_fields=OVERRIDE_FIELDS)
        NoteChange.objects.create(
            note=note,
            kind=kind,
            at=now,
            by=by,
            old_value=old_value,
            new_value=note.final_value,
            old_result=old_result,
            new_result=note.final_result,
            reason=reason,
        )
    return note
