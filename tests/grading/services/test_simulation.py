"""``grading.services.simulation``: the cohort's notes under a proposed rule or grid,
before and after, and who changes; nothing is written."""

from decimal import Decimal as D

import pytest

from grading import computation as calc
from grading import services
from grading.models import Note

pytestmark = pytest.mark.django_db


def test_simulation_of_a_grid_edit_counts_who_changes(saint_etienne):
    scheme, grid = saint_etienne.scheme, saint_etienne.grid
    services.recompute_notes(scheme)
    harder = [calc.Step(s.minimum, s.note / 2) for s in grid.step_list()]

    [(simulated_scheme, simulation)] = services.simulate_grid_edit(grid, harder, D(10))

    assert simulated_scheme == scheme
    assert simulation.students == 4
    nonzero = Note.objects.filter(scheme=scheme, value__gt=0).count()
    assert simulation.changed == nonzero == 3  # Léo's 0 stays 0
    assert sum(simulation.before) == sum(simulation.after) == 4
    assert Note.objects.filter(scheme=scheme, value__gt=0).count() == nonzero  # nothing saved
    hugo = next(c for c in simulation.changes if c["student_id"] == saint_etienne.hugo.pk)
    assert (hugo["old_value"], hugo["new_value"]) == (D(18), D(9))


def test_overridden_notes_are_counted_and_flagged(saint_etienne, people):
    scheme, grid = saint_etienne.scheme, saint_etienne.grid
    services.recompute_notes(scheme)
    note = Note.objects.get(scheme=scheme, student=saint_etienne.simon)
    services.override_note(note, value=D(12), result="validated", reason="Jury", by=None)
    harder = [calc.Step(s.minimum, s.note / 2) for s in grid.step_list()]

    [(_scheme, simulation)] = services.simulate_grid_edit(grid, harder, D(10))

    assert simulation.overridden == 1
    assert [c["overridden"] for c in simulation.changes if c["student_id"] == note.student_id] == [
        True
    ]


def test_histogram_has_one_bar_per_point_and_the_top_in_the_last():
    assert services.histogram([D(0), D("0.5"), D("2.5"), D(3), None], D(3)) == [2, 0, 1, 1]
