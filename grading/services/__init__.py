"""Notes, one module per use case: a scheme as a rule (``schemes``), recomputation in
bulk (``recompute``), simulation before saving (``simulation``), overrides
(``overrides``), publication (``publication``). Callers use the names below;
``grading.scheduling`` dispatches recomputations (in-process or to the task)."""

from .overrides import override_note, remove_override
from .publication import PublicationPlan, plan_publication, publish_notes
from .recompute import BATCH_SIZE, RecomputeReport, recompute_notes
from .schemes import (
    GradingError,
    cohort,
    component_rule,
    scheme_components,
    scheme_rule,
    students_in,
)
from .simulation import Simulation, histogram, simulate, simulate_grid_edit

__all__ = [
    "BATCH_SIZE",
    "GradingError",
    "PublicationPlan",
    "RecomputeReport",
    "Simulation",
    "cohort",
    "component_rule",
    "histogram",
    "override_note",
    "plan_publication",
    "publish_notes",
    "recompute_notes",
    "remove_override",
    "scheme_components",
    "scheme_rule",
    "simulate",
    "simulate_grid_edit",
    "students_in",
]
