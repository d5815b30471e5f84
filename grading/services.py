"""Notes: compute them in bulk, simulate a change, override, publish."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import orjson
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from campaigns.bulk import copy_rows, update_rows
from campaigns.models import Competence
from pixoffice.accounts.models import Programme, Student, User
from pixoffice.core.locking import lock_rows

from . import computation as calc
from .inputs import component_competences, gather_inputs
from .models import Component, Grid, Note, NoteChange, Publication, Scheme

BATCH_SIZE = 5000
CENTS = Decimal("0.01")
RECOMPUTE_WAIT_MS = 300_000  # a run waits this long for the previous run of its scheme
WAIT_MS = 60_000  # a staff action waits this long for another on the same row


class GradingError(ValueError):
    """A refused action; ``str(error)`` is a French message for the user."""


# --- rules -------------------------------------------------------------------------------


def scheme_components(scheme: Scheme) -> list[Component]:
    return list(
        scheme.components.select_related("grid", "campaign", "badge_requirement").prefetch_related(
            Prefetch("campaign__competences", queryset=Competence.objects.only("code"))
        )
    )


def component_rule(component: Component, grid: Grid | None = None) -> calc.ComponentRule:
    grid = grid or component.grid
    return calc.ComponentRule(
        key=component.key,
        label=component.label,
        requirement=component.kind == Component.Kind.BADGE,
        basis=component.basis or calc.TOTAL_PIX,
        competences=component_competences(component),
        grid=grid.rule() if grid is not None else None,
        weight=component.weight,
        missing=component.missing,
        absence_code=component.absence_code,
    )


def scheme_rule(
    scheme: Scheme, components: list[Component] | None = None, grids: dict | None = None
) -> calc.SchemeRule:
    """The scheme as a plain rule; ``grids`` replaces some grids (``{grid id: Grid}``), to
    simulate a grid edit."""
    components = scheme_components(scheme) if components is None else components
    grids = grids or {}
    return calc.SchemeRule(
        components=[component_rule(c, grids.get(c.grid_id)) for c in components],
        combine=scheme.combine,
        scale=scheme.scale,
        cap=scheme.cap,
        rounding=scheme.rounding,
        pass_mark=scheme.pass_mark,
    )


def cohort(scheme: Scheme) -> QuerySet[Student]:
    """The students a scheme grades: its programmes, its academic year."""
    return students_in(scheme.programmes.all(), scheme.academic_year_id)


def students_in(programmes, academic_year_id) -> QuerySet[Student]:
    return Student.objects.filter(programme__in=programmes, academic_year_id=academic_year_id)


# --- computation in bulk -----------------------------------------------------------------


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
OVERRIDE_FIELDS = ["override_value", "override_result", "override_reason", "override_by"]
OVERRIDE_FIELDS += ["override_at", "needs_republication"]
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


def schedule_recompute(scheme_ids, student_ids: list[int] | None = None) -> None:
    """Recompute after the current transaction commits: a few students in-process, a
    whole cohort through the Celery task when it is large."""
    scheme_ids = sorted(set(scheme_ids))
    if not scheme_ids:
        return

    def run():
        from .tasks import recompute_scheme

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


# --- simulation --------------------------------------------------------------------------


@dataclass
class Simulation:
    scale: Decimal
    students: int = 0
    before: list[int] = field(default_factory=list)  # histogram, one bar per point
    after: list[int] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)  # student, old → new
    overridden: int = 0  # notes set by hand, which a rule change does not move

    @property
    def changed(self) -> int:
        return len(self.changes)

    def bars(self) -> list[dict]:
        top = max([*self.before, *self.after, 1])
        return [
            {
                "label": f"{i}",
                "before": b,
                "after": a,
                "before_pct": round(100 * b / top),
                "after_pct": round(100 * a / top),
            }
            for i, (b, a) in enumerate(zip(self.before, self.after, strict=True))
        ]


def histogram(values: list[Decimal | None], scale: Decimal) -> list[int]:
    """Counts per point: bar ``i`` holds notes in [i, i+1), the last also holds the top."""
    bins = int(scale)
    counts = Counter(min(int(v), bins) for v in values if v is not None)
    return [counts.get(i, 0) for i in range(bins + 1)]


def simulate(
    students: QuerySet[Student],
    new_rule: calc.SchemeRule,
    new_components: list[Component],
    current_rule: calc.SchemeRule | None = None,
    current_components: list[Component] | None = None,
    scheme: Scheme | None = None,
) -> Simulation:
    """The cohort's notes under the current rule and a proposed one; nothing is saved.

    Each rule reads its own components' inputs (an edited component may read another
    campaign under the same key).
    """
    students = list(
        students.order_by("last_name", "first_name").values_list(
            "pk", "student_number", "last_name", "first_name"
        )
    )
    new_inputs = gather_inputs(new_components, None)
    if current_components is None or current_components is new_components:
        inputs = new_inputs
    else:
        inputs = gather_inputs(current_components, None)
    overridden = set()
    if scheme is not None and scheme.pk:
        overridden = set(
            Note.objects.filter(scheme=scheme)
            .exclude(override_result="")
            .values_list("student_id", flat=True)
        )
    simulation = Simulation(scale=new_rule.scale, students=len(students))
    before, after = [], []
    for pk, number, last, first in students:
        new = calc.compute(new_rule, new_inputs.get(pk, {}))
        after.append(new.value)
        if current_rule is None:
            continue
        old = calc.compute(current_rule, inputs.get(pk, {}))
        before.append(old.value)
        if (old.value, old.result, old.absence_code) != (new.value, new.result, new.absence_code):
            simulation.changes.append(
                {
                    "student_id": pk,
                    "student_number": number,
                    "name": f"{last} {first}",
                    "old_value": old.value,
                    "old_result": old.result,
                    "old_code": old.absence_code,
                    "new_value": new.value,
                    "new_result": new.result,
                    "new_code": new.absence_code,
                    "overridden": pk in overridden,
                }
            )
    simulation.overridden = len(overridden)
    simulation.after = histogram(after, new_rule.scale)
    simulation.before = (
        histogram(before, current_rule.scale) if current_rule else [0] * len(simulation.after)
    )
    width = max(len(simulation.before), len(simulation.after))
    simulation.before += [0] * (width - len(simulation.before))
    simulation.after += [0] * (width - len(simulation.after))
    return simulation


def simulate_grid_edit(grid: Grid, steps: list[calc.Step], scale: Decimal) -> list:
    """For each scheme using the grid: its cohort under the grid as it is and as edited."""
    proposed = Grid(pk=grid.pk, name=grid.name, academic_year_id=grid.academic_year_id)
    proposed.version, proposed.scale = grid.version, scale
    proposed.steps = calc.steps_to_pairs(steps)
    results = []
    for scheme in Scheme.objects.filter(components__grid=grid).distinct().order_by("name"):
        components = scheme_components(scheme)
        current = scheme_rule(scheme, components)
        new = scheme_rule(scheme, components, grids={grid.pk: proposed})
        results.append(
            (scheme, simulate(cohort(scheme), new, components, current, components, scheme))
        )
    return results


# --- overrides ---------------------------------------------------------------------------


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


# --- publication -------------------------------------------------------------------------


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
