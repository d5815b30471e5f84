"""A scheme as a plain rule (its components, grids, cohort), for every use case."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from campaigns.models import Competence
from grading import computation as calc
from grading.inputs import component_competences
from grading.models import Component, Grid, Scheme
from pixoffice.accounts.models import Student
from pixoffice.accounts.queries import enrolled

RECOMPUTE_WAIT_MS = 300_000  # a run waits this long for the previous run of its scheme
WAIT_MS = 60_000  # a staff action waits this long for another on the same row


class GradingError(ValueError):
    """A refused action; ``str(error)`` is a French message for the user."""


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
        minimum=component.minimum if component.kind == Component.Kind.CAMPAIGN else None,
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
    """Who a scheme grades: not those who left the course (their notes stay, unchanged)."""
    return enrolled(
        Student.objects.filter(programme__in=programmes, academic_year_id=academic_year_id)
    )
