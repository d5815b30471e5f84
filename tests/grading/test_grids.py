"""``grading.grids``: versioned grids — edited in place while unused, a new version once
a published note used them; typed or imported steps checked with their position."""

from decimal import Decimal as D

import pytest

from grading import computation as calc
from grading import grids, services
from grading.models import Note

pytestmark = pytest.mark.django_db


def test_editing_a_grid_used_by_published_notes_makes_a_new_version(
    saint_etienne, programmes, people, django_capture_on_commit_callbacks
):
    scheme, se_grid = saint_etienne.scheme, saint_etienne.grid
    services.recompute_notes(scheme)
    services.publish_notes(scheme, programmes["L2 Géographie"], by=people["staff"])
    assert grids.is_locked(se_grid)
    harder = [calc.Step(s.minimum, s.note / 2) for s in se_grid.step_list()]

    with django_capture_on_commit_callbacks(execute=True):
        newer = grids.save_grid(se_grid, steps=harder, scale=D(10), by=people["staff"])

    se_grid.refresh_from_db()
    assert (newer.version, newer.supersedes) == (2, se_grid)
    assert se_grid.steps[-1] == ["5", "10"]  # the old version is untouched
    assert set(scheme.components.exclude(grid=None).values_list("grid", flat=True)) == {newer.pk}
    note = Note.objects.get(scheme=scheme, published_value__gt=0)  # Nina's 4/20
    assert note.value == note.published_value / 2 == 2  # recomputed, published one kept
    assert note.explanation[0]["grid"].endswith("(v2)")
    assert note.published_explanation[0]["grid"].endswith("(v1)")


def test_editing_an_unused_grid_keeps_its_version(se_grid):
    saved = grids.save_grid(se_grid, steps=se_grid.step_list()[:3], scale=D(10), by=None)

    assert (saved.pk, saved.version, len(saved.steps)) == (se_grid.pk, 1, 3)


def test_invalid_steps_are_refused_with_their_position(se_grid):
    steps = [calc.Step(D(0), D(0)), calc.Step(D(0), D(1))]

    with pytest.raises(services.GradingError, match="Palier 2 : le seuil 0"):
        grids.save_grid(se_grid, steps=steps, scale=D(10), by=None)


def test_copy_grid_for_next_year(se_grid):
    from pixoffice.accounts.models import AcademicYear

    following = AcademicYear.objects.create(name="2026-2027", start="2026-09-01", end="2027-08-31")

    copy = grids.copy_grid(se_grid, following, by=None)

    assert (copy.name, copy.academic_year, copy.version, copy.steps) == (
        se_grid.name,
        following,
        1,
        se_grid.steps,
    )
    with pytest.raises(services.GradingError, match="existe déjà"):
        grids.copy_grid(se_grid, following, by=None)


def test_strasbourg_file_imports_as_is(year, data_dir):
    grid = grids.import_grid(
        (data_dir / "unistra-2023-2024.csv").read_bytes(),
        name="Unistra",
        academic_year=year,
        by=None,
    )

    assert (grid.scale, len(grid.steps), grid.steps[1]) == (D(20), 41, ["65", "0.5"])
    assert grids.grid_csv(grid).decode() == (
        data_dir / "unistra-2023-2024.csv"
    ).read_text().replace("\n", "\r\n")
