"""Business actions on campaigns, one module per use case: plan a Pix Orga import
(``plan``, ``matching``), apply it (``write``), pick the share that counts
(``counting``), resolve an unmatched row (``linking``) or set it aside (``ignoring``). Callers use the names below."""

from campaigns.signals import announce_results_changed

from .counting import may_count, pick_counting, recompute_counting
from .ignoring import ignore_participation, restore_participation
from .linking import link_participation
from .plan import ResultPlan, current_framework, import_progress, plan_result_import
from .write import IMPORT_WAIT_MS, apply_result_import, nothing_new, store_result_file

__all__ = [
    "IMPORT_WAIT_MS",
    "ResultPlan",
    "announce_results_changed",
    "apply_result_import",
    "current_framework",
    "ignore_participation",
    "import_progress",
    "link_participation",
    "may_count",
    "nothing_new",
    "pick_counting",
    "plan_result_import",
    "recompute_counting",
    "restore_participation",
    "store_result_file",
]
