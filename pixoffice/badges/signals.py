"""Signals other floors listen to (grading recomputes a student's notes)."""

from django.dispatch import Signal

# Sent after the transaction commits, whenever a submission's status changes:
# ``sender=BadgeSubmission, student_id=int, requirement_id=int``.
badge_status_changed = Signal()
