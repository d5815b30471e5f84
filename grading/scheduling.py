"""Recomputing after a change: a few students in-process, a large cohort through the
Celery task. A module of its own so that the tasks import the services and the services
never import the tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from grading.models import Scheme
from grading.services import cohort, recompute_notes
from grading.tasks import recompute_scheme


def schedule_recompute(scheme_ids, student_ids: list[int] | None = None) -> None:
    """Recompute after the current transaction commits: a few students in-process, a
    whole cohort through the Celery task when it is large."""
    scheme_ids = sorted(set(scheme_ids))
    if not scheme_ids:
        return

    def run():
        for scheme_id in scheme_ids:
            if student_ids is None and _cohort_size(scheme_id) > settings.GRADING_TASK_THRESHOLD:
                recompute_scheme.delay(scheme_id)
            else:
                scheme = Scheme.objects.filter(pk=scheme_id).first()
                if scheme is not None:
                    recompute_notes(scheme, student_ids)

    transaction.on_commit(run)


def _cohort_size(scheme_id: int) -> int:
    scheme = Scheme.objects.filter(pk=scheme_id).first()
    return cohort(scheme).count() if scheme else 0
