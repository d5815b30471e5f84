"""Signals the floors above listen to (grading recomputes notes)."""

from django.dispatch import Signal

# Sent after the transaction commits when a campaign's shares that count may have
# changed (an import applied, an unmatched row linked, the counting rule or deadline
# edited): ``sender=Campaign, campaign_id=int, student_ids=list[int] | None`` (None: any).
results_changed = Signal()
