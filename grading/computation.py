"""Notes as plain functions: grids, components and how they combine. No Django here.

``compute(rule, inputs)`` takes a scheme's rule (its components, each with its grid)
and one student's inputs (a score per component, or ``None`` when missing; met or not
for a requirement) and returns the note, the result and a step-by-step explanation as
data (``explain.py`` turns it into words in the reader's language).
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from pixoffice.tabular import FileRefused, read_table

# what a component measures (its "basis") and a share's score for it, as calc.* names
from .scores import (  # noqa: F401 (re-exported)
    ASSESSMENT_BASES,
    CERTIFICATION_SCORE,
    MASTERY_RATE,
    MEAN_LEVEL,
    PIX_ON_COMPETENCES,
    PROFILE_BASES,
    STAGE,
    TOTAL_PIX,
    campaign_score,
    mean,
)

ZERO = Decimal(0)


# how components combine
SUM = "sum"
WEIGHTED_MEAN = "weighted_mean"

# what a missing input gives
MISSING_ZERO = "zero"
MISSING_ABSENCE = "absence"

# results
VALIDATED = "validated"
NOT_VALIDATED = "not_validated"
ABSENT = "absent"

# rounding rules of the final note
ROUNDINGS = {
    "none": None,
    "hundredth": (Decimal("0.01"), ROUND_HALF_UP),
    "half_nearest": (Decimal("0.5"), ROUND_HALF_UP),
    "half_up": (Decimal("0.5"), ROUND_CEILING),
    "half_down": (Decimal("0.5"), ROUND_FLOOR),
    "unit_nearest": (Decimal("1"), ROUND_HALF_UP),
}


class GridError(ValueError):
    """A grid that cannot be used; ``messages`` are French, one per problem."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Step:
    minimum: Decimal
    note: Decimal


def to_decimal(value) -> Decimal:
    """A number written either way (``0,5`` or ``0.5``); ``InvalidOperation`` if not one."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        raise InvalidOperation(value)
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation(value)
    return number


def number_text(value: Decimal | None, comma: bool = True) -> str:
    """``8.50`` → ``8,5``: no trailing zeros, French decimal comma by default."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",") if comma else text


def validate_steps(steps: list[Step], scale: Decimal) -> list[str]:
    """French messages for everything wrong with a grid; empty when it is usable."""
    errors = []
    if not steps:
        return ["La grille n'a aucun palier."]
    if scale <= 0:
        errors.append("Le barème doit être positif (ex. 20 ou 10).")
    if steps[0].minimum != 0:
        errors.append(
            f"Le premier palier doit commencer à 0 (il commence à {number_text(steps[0].minimum)})."
        )
    for position, (before, step) in enumerate(itertools.pairwise(steps), start=2):
        if step.minimum <= before.minimum:
            errors.append(
                f"Palier {position} : le seuil {number_text(step.minimum)} doit être "
                f"strictement supérieur au précédent ({number_text(before.minimum)})."
            )
        if step.note < before.note:
            errors.append(
                f"Palier {position} : la note {number_text(step.note)} est inférieure à celle "
                f"du palier précédent ({number_text(before.note)})."
            )
    for position, step in enumerate(steps, start=1):
        if step.minimum < 0:
            errors.append(f"Palier {position} : le seuil ne peut pas être négatif.")
        if not ZERO <= step.note <= scale:
            errors.append(
                f"Palier {position} : la note {number_text(step.note)} sort du barème "
                f"(0 à {number_text(scale)})."
            )
    return errors


def steps_from_pairs(pairs) -> list[Step]:
    return [Step(to_decimal(a), to_decimal(b)) for a, b in pairs]


def steps_to_pairs(steps: list[Step]) -> list[list[str]]:
    return [[number_text(s.minimum, comma=False), number_text(s.note, comma=False)] for s in steps]


def grid_note(steps: list[Step], score: Decimal) -> Step:
    """The step a score reaches: the last whose minimum is at most the score."""
    index = bisect.bisect_right([s.minimum for s in steps], score) - 1
    return steps[max(index, 0)]


@dataclass(frozen=True)
class GridFile:
    steps: list[Step]
    scale: Decimal | None  # read from a ``note_sur_20`` header, when there is one


def read_grid_file(data: bytes) -> GridFile:
    """A grid from CSV or XLSX: two columns, minimum score then note (``0,5`` or ``0.5``).

    The Strasbourg file (``score_min_pix;note_sur_20``) loads as is. Raises ``GridError``
    with the line of every problem; a file with any error gives no grid.
    """
    try:
        table = read_table(data)
    except FileRefused as refused:
        raise GridError([str(refused)]) from refused
    if len(table.header) < 2:
        raise GridError(
            ["Le fichier doit avoir deux colonnes : le score minimal, puis la note (ex. 65;0,5)."]
        )
    scale = None
    second = table.header[1].strip().lower()
    digits = "".join(ch for ch in second.rsplit("sur", 1)[-1] if ch.isdigit())
    if "sur" in second and digits:
        scale = Decimal(digits)
    steps, errors = [], []
    for line, row in zip(table.line_numbers, table.rows, strict=False):
        cells = [c.strip() for c in row[:2]]
        if not any(cells):
            continue
        try:
            minimum = to_decimal(cells[0])
        except (InvalidOperation, IndexError):
            errors.append(f"Ligne {line} : score minimal « {cells[0]} » illisible.")
            continue
        try:
            note = to_decimal(cells[1] if len(cells) > 1 else "")
        except InvalidOperation:
            errors.append(
                f"Ligne {line} : note « {cells[1] if len(cells) > 1 else ''} » illisible."
            )
            continue
        steps.append(Step(minimum, note))
    if errors:
        raise GridError(errors)
    return GridFile(steps=steps, scale=scale)


def grid_to_csv_text(steps: list[Step], scale: Decimal, input_name: str = "score_min_pix") -> str:
    """The grid as the Strasbourg file writes it: ``;`` and a decimal comma."""
    lines = [f"{input_name};note_sur_{number_text(scale)}"]
    lines += [f"{number_text(s.minimum)};{number_text(s.note)}" for s in steps]
    return "\r\n".join(lines) + "\r\n"


# --- schemes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GridRule:
    id: int | None
    label: str  # e.g. "Unistra 2023-2024 (version 2)"
    scale: Decimal
    steps: list[Step]


@dataclass(frozen=True)
class ComponentRule:
    key: str
    label: str
    requirement: bool = False  # a requirement gives no points: met, or not validated
    basis: str = TOTAL_PIX
    competences: tuple[str, ...] = ()
    grid: GridRule | None = None
    weight: Decimal = Decimal(1)
    missing: str = MISSING_ZERO
    absence_code: str = "ABI"
    # no grid but a minimum: a requirement on the score (no points), e.g. palier ≥ 2
    minimum: Decimal | None = None


@dataclass(frozen=True)
class SchemeRule:
    components: list[ComponentRule]
    combine: str = SUM
    scale: Decimal = Decimal(20)
    cap: Decimal | None = None
    rounding: str = "none"
    pass_mark: Decimal = Decimal(10)


@dataclass(frozen=True)
class ComponentInput:
    """One student's input for one component: a score (``None`` when missing) or, for a
    requirement, whether it is met; ``source`` says where it came from (share, import)."""

    score: Decimal | None = None
    met: bool | None = None
    source: dict = field(default_factory=dict)
    out_of: int | None = None  # a stage's highest value (« palier 2 sur 3 »)


@dataclass
class Outcome:
    value: Decimal | None
    result: str
    absence_code: str = ""
    lines: list[dict] = field(default_factory=list)
    sources: dict = field(default_factory=dict)


def round_note(value: Decimal, rounding: str) -> Decimal:
    rule = ROUNDINGS.get(rounding)
    if rule is None:
        return value
    quantum, mode = rule
    return (value / quantum).quantize(Decimal(1), rounding=mode) * quantum


def compute(rule: SchemeRule, inputs: dict[str, ComponentInput]) -> Outcome:
    """A student's note, result and explanation under a scheme's rule."""
    lines: list[dict] = []
    sources: dict = {}
    parts: list[tuple[ComponentRule, Decimal]] = []
    unmet: list[str] = []
    absence = ""
    for component in rule.components:
        given = inputs.get(component.key) or ComponentInput()
        if given.source:
            sources[component.key] = given.source
        if component.requirement:
            met = bool(given.met)
            lines.append({"kind": "requirement", "label": component.label, "met": met})
            if not met:
                unmet.append(component.label)
            continue
        grid = component.grid
        if grid is None and component.minimum is not None:  # a threshold: met or not
            met = given.score is not None and given.score >= component.minimum
            lines.append(_score_line("threshold", component, given) | {"met": met})
            if not met:
                unmet.append(component.label)
            continue
        if given.score is None:
            if component.missing == MISSING_ABSENCE:
                absence = absence or component.absence_code
                lines.append(
                    {
                        "kind": "missing",
                        "label": component.label,
                        "rule": MISSING_ABSENCE,
                        "code": component.absence_code,
                    }
                )
                continue
            note = ZERO
            lines.append(
                {
                    "kind": "missing",
                    "label": component.label,
                    "rule": MISSING_ZERO,
                    "note": str(note),
                    "scale": str(grid.scale if grid else rule.scale),
                }
            )
            parts.append((component, note))
            continue
        step = grid_note(grid.steps, given.score)
        lines.append(
            _score_line("component", component, given)
            | {
                "step": str(step.minimum),
                "note": str(step.note),
                "scale": str(grid.scale),
                "grid": grid.label,
                "grid_id": grid.id,
            }
        )
        parts.append((component, step.note))

    if absence:
        lines.append({"kind": "result", "result": ABSENT, "code": absence, "unmet": unmet})
        return Outcome(None, ABSENT, absence, lines, sources)

    raw = _combine(rule, parts)
    combine_line = {
        "kind": "combine",
        "how": rule.combine,
        "parts": [
            [c.label, str(note), str(c.grid.scale if c.grid else rule.scale), str(c.weight)]
            for c, note in parts
        ],
        "raw": str(raw),
        "scale": str(rule.scale),
    }
    cap = rule.cap if rule.cap is not None else rule.scale
    if raw > cap:
        combine_line["capped_at"] = str(cap)
        raw = cap
    lines.append(combine_line)
    value = round_note(raw, rule.rounding)
    if value != raw:
        lines.append(
            {"kind": "rounding", "rule": rule.rounding, "before": str(raw), "after": str(value)}
        )
    result = VALIDATED if value >= rule.pass_mark and not unmet else NOT_VALIDATED
    lines.append(
        {
            "kind": "result",
            "result": result,
            "note": str(value),
            "scale": str(rule.scale),
            "pass_mark": str(rule.pass_mark),
            "unmet": unmet,
        }
    )
    return Outcome(value, result, "", lines, sources)


def _score_line(kind: str, component: ComponentRule, given: ComponentInput) -> dict:
    line = {
        "kind": kind,
        "label": component.label,
        "basis": component.basis,
        "score": None if given.score is None else str(given.score),
        "competences": list(component.competences),
    }
    if component.minimum is not None and kind == "threshold":
        line["minimum"] = str(component.minimum)
    if given.out_of is not None:
        line["out_of"] = given.out_of
    return line


def _combine(rule: SchemeRule, parts: list[tuple[ComponentRule, Decimal]]) -> Decimal:
    if not parts:
        return ZERO
    if rule.combine == WEIGHTED_MEAN:
        total_weight = sum((c.weight for c, _ in parts), ZERO)
        if total_weight == 0:
            return ZERO
        scaled = sum(
            (c.weight * note * rule.scale / (c.grid.scale if c.grid else rule.scale))
            for c, note in parts
        )
        return (scaled / total_weight).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return sum((note for _, note in parts), ZERO)
