"""Publishing a programme's notes: the snapshot students and exports read."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from grading.models import Note, NoteChange, Publication, Scheme
from grading.services.schemes import RECOMPUTE_WAIT_MS, GradingError
from pixoffice.accounts.models import Programme, User
from pixoffice.core.locking import lock_rows


@dataclass
class PublicationPlan:
    first: list[Note]  # never published: published now
    changed: list[Note]  # published, and the note differs now: needs a reason
    unchanged: int


def plan_publication(scheme: Scheme, programme: Programme) -> PublicationPlan:
    notes = list(Note.objects.filter(scheme=scheme, student__programme=programme))
    first = [n for n in notes if not n.is_published]
    changed = [n for n in notes if n.differs_from_published]
    return PublicationPlan(first, changed, len(notes) - len(first) - len(changed))


def publish_notes(
    scheme: Scheme, programme: Programme, *, by: User, reason: str = ""
) -> Publication | None:
    """Show the programme's notes to its students. Notes already published change only
    here, with a reason (re-publication); publishing twice changes nothing."""
    reason = (reason or "").strip()
    with transaction.atomic():
        lock_rows(Scheme, [scheme.pk], timeout_ms=RECOMPUTE_WAIT_MS)  # after any running recompute
        plan = plan_publication(scheme, programme)
        if plan.changed and not reason:
            raise GradingError(
                f"{len(plan.changed)} note(s) déjà publiée(s) ont changé : "
                "indiquez le motif de la nouvelle publication."
            )
        if not plan.first and not plan.changed:
            return None
        now = timezone.now()
        audit = []
        for note in [*plan.first, *plan.changed]:
            republished = note.is_published
            audit.append(
                NoteChange(
                    note=note,
                    kind=NoteChange.Kind.REPUBLISHED if republished else NoteChange.Kind.PUBLISHED,
                    at=now,
                    by=by,
                    old_value=note.published_value if republished else None,
                    new_value=note.final_value,
                    old_result=note.published_result if republished else "",
                    new_result=note.final_result,
                    reason=reason if republished else "",
                )
            )
            note.published_value = note.final_value
            note.published_result = note.final_result
            note.published_absence_code = note.final_absence_code
            note.published_explanation = note.publishable_explanation()
            note.published_sources = note.sources
            note.published_at = now
            note.needs_republication = False
        Note.objects.bulk_update(
            [*plan.first, *plan.changed],
            [
                "published_value",
                "published_result",
                "published_absence_code",
                "published_explanation",
                "published_sources",
                "published_at",
                "needs_republication",
            ],
            batch_size=2000,
        )
        NoteChange.objects.bulk_create(audit, batch_size=5000)
        return Publication.objects.create(
            scheme=scheme,
            programme=programme,
            published_by=by,
            published_at=now,
            reason=reason,
            notes_count=len(audit),
        )
