"""Simulating a scheme or grid edit on the cohort before saving it: nothing is written."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from grading import computation as calc
from grading.inputs import gather_inputs
from grading.models import Component, Grid, Note, Scheme
from grading.services.schemes import cohort, scheme_components, scheme_rule
from pixoffice.accounts.models import Student


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
