"""Recomputing a cohort's notes in bulk, under the scheme's lock, with an audit line
per change."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import orjson
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from grading import computation as calc
from grading.inputs import gather_inputs
from grading.models import Note, NoteChange, Scheme
from grading.services.schemes import RECOMPUTE_WAIT_MS, cohort, scheme_components, scheme_rule
from pixoffice.accounts.models import User
from pixoffice.core.bulk import copy_rows, update_rows
from pixoffice.core.locking import lock_rows

BATCH_SIZE = 5000
CENTS = Decimal("0.01")


@dataclass
class RecomputeReport:
    students: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict:
        return self.__dict__.copy()


NOTE_FIELDS = ["value", "result", "absence_code", "explanation", "sources", "computed_at"]
NOTE_FIELDS += ["needs_republication"]
AUDIT_FIELDS = ["note", "kind", "at", "by", "old_value", "new_value", "old_result", "new_result"]
AUDIT_FIELDS += ["reason"]
# a new note's other columns, which COPY must give (Django's defaults are not the table's)
BLANK_NOTE_FIELDS = ["override_result", "override_reason", "published_result"]
BLANK_NOTE_FIELDS += ["published_absence_code", "published_explanation", "published_sources"]
BLANK_NOTE = ("", "", "", "", [], {})
# what a recomputation reads of a stored note, beside its value, to know if it must be
# published again
PUBLISHED_STATE = ["published_at", "published_value", "published_result"]
PUBLISHED_STATE += ["published_absence_code", "published_lines"]
PUBLISHED_STATE += ["override_value", "override_result", "override_reason"]


def recompute_notes(
    scheme: Scheme, student_ids: list[int] | None = None, *, by: User | None = None
) -> RecomputeReport:
    """Compute the notes of the scheme's cohort (or of some of its students) and store
    what changed, with an audit line per changed value. A constant number of queries per
    batch of ``BATCH_SIZE`` students; rows are written with ``COPY`` on PostgreSQL.

    One run at a time per scheme: the scheme is locked first, then its components, cohort
    and inputs are read, so a run never stores notes computed from older inputs."""
    with transaction.atomic():
        lock_rows(Scheme, [scheme.pk], timeout_ms=RECOMPUTE_WAIT_MS)
        scheme.refresh_from_db()
        components = scheme_components(scheme)
        rule = scheme_rule(scheme, components)
        students = cohort(scheme)
        if student_ids is not None:
            students = students.filter(pk__in=student_ids)
        ids = list(students.order_by("pk").values_list("pk", flat=True))
        report = RecomputeReport(students=len(ids))
        whole = student_ids is None
        inputs = gather_inputs(components, None) if whole else None
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            batch_inputs = inputs if whole else gather_inputs(components, batch)
            _store_batch(scheme, rule, batch, batch_inputs, by, report)
    return report


def _store_batch(scheme, rule, batch, inputs, by, report) -> None:
    now = timezone.now()
    by_id = by.pk if by is not None else None
    existing = {
        row[0]: row[1:]
        for row in Note.objects.filter(scheme=scheme, student_id__in=batch)
        .annotate(
            lines=Cast("explanation", TextField()),
            published_lines=Cast("published_explanation", TextField()),
        )
        .values_list(
            "student_id", "pk", "value", "result", "absence_code", "lines", *PUBLISHED_STATE
        )
    }
    created, changed, audit = [], [], []
    for student_id in batch:
        outcome = calc.compute(rule, inputs.get(student_id, {}))
        value = None if outcome.value is None else outcome.value.quantize(CENTS, ROUND_HALF_UP)
        stored = existing.get(student_id)
        if stored is None:
            created.append(
                (
                    scheme.pk,
                    student_id,
                    value,
                    outcome.result,
                    outcome.absence_code,
                    outcome.lines,
                    outcome.sources,
                    now,
                    False,
                    *BLANK_NOTE,
                )
            )
            continue
        pk, old_value, old_result, old_code, old_lines, *published = stored
        same_note = (old_value, old_result, old_code) == (
            value,
            outcome.result,
            outcome.absence_code,
        )
        if same_note and orjson.loads(old_lines) == outcome.lines:
            report.unchanged += 1
            continue
        # every recomputation that changed something is in the note's history
        kind = NoteChange.Kind.EXPLAINED if same_note else NoteChange.Kind.COMPUTED
        audit.append((pk, kind, now, by_id, old_value, value, old_result, outcome.result, ""))
        stale = _needs_republication(published, value, outcome)
        changed.append(
            (
                pk,
                value,
                outcome.result,
                outcome.absence_code,
                outcome.lines,
                outcome.sources,
                now,
                stale,
            )
        )
    if created:
        copy_rows(Note, ["scheme", "student", *NOTE_FIELDS, *BLANK_NOTE_FIELDS], created)
        new_ids = dict(
            Note.objects.filter(
                scheme=scheme, student_id__in=[row[1] for row in created]
            ).values_list("student_id", "pk")
        )
        audit.extend(
            (new_ids[row[1]], NoteChange.Kind.COMPUTED, now, by_id, None, row[2], "", row[3], "")
            for row in created
        )
    update_rows(Note, NOTE_FIELDS, changed)
    copy_rows(NoteChange, AUDIT_FIELDS, audit)
    report.created += len(created)
    report.changed += len(changed)


def _needs_republication(published: list, value, outcome: calc.Outcome) -> bool:
    """Whether a published note, recomputed to ``value``/``outcome``, now differs from
    what its students see (the rule is ``Note.differs_from_published``)."""
    published_at, p_value, p_result, p_code, p_lines, o_value, o_result, o_reason = published
    if published_at is None:
        return False
    note = Note(
        value=value,
        result=outcome.result,
        absence_code=outcome.absence_code,
        explanation=outcome.lines,
        override_value=o_value,
        override_result=o_result,
        override_reason=o_reason,
        published_at=published_at,
        published_value=p_value,
        published_result=p_result,
        published_absence_code=p_code,
        published_explanation=orjson.loads(p_lines),
    )
    return note.differs_from_published
