"""Grids: create, edit (a frozen grid gets a new version), copy to the next year, import."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from pixoffice.accounts.models import AcademicYear, User
from pixoffice.core.locking import lock_rows

from . import computation as calc
from .models import Component, Grid, Note, Scheme
from .rules import can_edit_grid
from .scheduling import schedule_recompute
from .services import GradingError


def check_steps(steps: list[calc.Step], scale: Decimal) -> None:
    errors = calc.validate_steps(steps, scale)
    if errors:
        raise GradingError("\n".join(errors))


READ_ONLY = (
    "Cette grille sert aussi aux notes de formations que vous ne suivez pas : elle est en "
    "lecture seule pour vous. Copiez-la, ou demandez à un·e administrateur·rice de la modifier."
)


def check_read_only(grid: Grid, by: User | None) -> None:
    """``by=None`` is the command line."""
    if by is not None and not can_edit_grid(by, grid):
        raise GradingError(READ_ONLY)


def is_locked(grid: Grid) -> bool:
    """Superseded, or used by a scheme with a published note: edits make a new version."""
    if not grid.is_current:
        return True
    return Note.objects.filter(scheme__components__grid=grid, published_at__isnull=False).exists()


def schemes_using(grid: Grid):
    return Scheme.objects.filter(components__grid=grid).distinct()


def create_grid(
    *,
    name: str,
    academic_year: AcademicYear,
    scale: Decimal,
    steps: list[calc.Step],
    by: User | None,
    input_name: str = "score_min_pix",
) -> Grid:
    check_steps(steps, scale)
    if Grid.objects.filter(name=name, academic_year=academic_year).exists():
        raise GradingError(
            f"Une grille « {name} » existe déjà pour {academic_year} : modifiez-la "
            "(une nouvelle version sera créée si elle est utilisée)."
        )
    return Grid.objects.create(
        name=name,
        academic_year=academic_year,
        scale=scale,
        steps=calc.steps_to_pairs(steps),
        input_name=input_name or "score_min_pix",
        created_by=by,
    )


def save_grid(grid: Grid, *, steps: list[calc.Step], scale: Decimal, by: User | None) -> Grid:
    """Save new steps. A frozen grid is not touched: a new version supersedes it and the
    schemes that used it move to the new version; their notes are recomputed.
    ``by`` must follow every programme whose schemes use the grid (or be an admin)."""
    check_read_only(grid, by)
    check_steps(steps, scale)
    pairs = calc.steps_to_pairs(steps)
    with transaction.atomic():
        lock_rows(Grid, [grid.pk], timeout_ms=60_000)
        grid = Grid.objects.get(pk=grid.pk)
        if pairs == grid.steps and scale == grid.scale:
            return grid
        if is_locked(grid):
            if not grid.is_current:
                raise GradingError(
                    "Cette version a déjà été remplacée : modifiez la version la plus récente."
                )
            newer = Grid.objects.create(
                name=grid.name,
                academic_year=grid.academic_year,
                version=grid.version + 1,
                scale=scale,
                input_name=grid.input_name,
                steps=pairs,
                supersedes=grid,
                created_by=by,
            )
            Component.objects.filter(grid=grid).update(grid=newer)
            grid = newer
        else:
            grid.steps, grid.scale = pairs, scale
            grid.save(update_fields=["steps", "scale"])
        schedule_recompute(schemes_using(grid).values_list("pk", flat=True))
    return grid


def copy_grid(grid: Grid, academic_year: AcademicYear, *, by: User | None) -> Grid:
    """ "Copy this grid for next year": same name, steps and scale, version 1."""
    if Grid.objects.filter(name=grid.name, academic_year=academic_year).exists():
        raise GradingError(f"La grille « {grid.name} » existe déjà pour {academic_year}.")
    return Grid.objects.create(
        name=grid.name,
        academic_year=academic_year,
        scale=grid.scale,
        input_name=grid.input_name,
        steps=grid.steps,
        created_by=by,
    )


def import_grid(
    data: bytes,
    *,
    name: str,
    academic_year: AcademicYear,
    by: User | None,
    scale: Decimal | None = None,
) -> Grid:
    """A grid from a CSV/XLSX file (the Strasbourg file loads as is). Any error: nothing
    is written and every line at fault is named."""
    try:
        parsed = calc.read_grid_file(data)
    except calc.GridError as error:
        raise GradingError("\n".join(error.messages)) from error
    scale = scale or parsed.scale
    if scale is None:
        raise GradingError(
            "Barème inconnu : nommez la deuxième colonne « note_sur_20 » (ou « note_sur_10 ») "
            "ou indiquez le barème."
        )
    existing = Grid.objects.filter(
        name=name, academic_year=academic_year, superseded_by__isnull=True
    ).first()
    if existing is not None:
        return save_grid(existing, steps=parsed.steps, scale=scale, by=by)
    return create_grid(
        name=name, academic_year=academic_year, scale=scale, steps=parsed.steps, by=by
    )


def grid_csv(grid: Grid) -> bytes:
    return calc.grid_to_csv_text(grid.step_list(), grid.scale, grid.input_name).encode("utf-8")
