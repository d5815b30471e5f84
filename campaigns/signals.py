"""Signals the floors above listen to (grading recomputes notes)."""

from django.db import transaction
from django.dispatch import Signal

from .models import Campaign

# Sent after the transaction commits when a campaign's shares that count may have
# changed (an import applied, an unmatched row linked, the counting rule or deadline
# edited): ``sender=Campaign, campaign_id=int, student_ids=list[int] | None`` (None: any).
results_changed = Signal()


def announce_results_changed(campaign_id: int, student_ids: list[int] | None = None) -> None:
    """Tell the floors above (grading) once the transaction commits."""

    transaction.on_commit(
        lambda: results_changed.send(Campaign, campaign_id=campaign_id, student_ids=student_ids)
    )
