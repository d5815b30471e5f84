"""``grading.services.overrides``: a note set by hand needs a reason, is audited, stays
in force through recomputations, and can be taken back."""

from decimal import Decimal as D

import pytest

from grading import services
from grading.models import Note, NoteChange
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def test_override_needs_a_reason_and_is_audited(saint_etienne, people):
    scheme = saint_etienne.scheme
    services.recompute_notes(scheme)
    note = Note.objects.get(scheme=scheme, student=saint_etienne.simon)

    with pytest.raises(services.GradingError, match="motif"):
        services.override_note(
            note, value=D(12), result="validated", reason=" ", by=people["staff"]
        )
    services.override_note(
        note, value=D(12), result="validated", reason="Jury du 12/01", by=people["staff"]
    )

    note.refresh_from_db()
    assert (note.final_value, note.final_result) == (D(12), "validated")
    change = note.changes.first()
    assert (change.kind, change.old_value, change.new_value, change.reason, change.by) == (
        "override",
        D("2.5"),
        D(12),
        "Jury du 12/01",
        people["staff"],
    )
    # a recomputation keeps the override in force
    services.recompute_notes(scheme)
    note.refresh_from_db()
    assert note.final_value == D(12)

    services.remove_override(note, reason="Erreur de saisie", by=people["staff"])
    note.refresh_from_db()
    assert (note.final_value, note.is_overridden) == (D("2.5"), False)


def test_an_override_outside_the_scale_is_refused_and_writes_nothing(people):
    note = NoteFactory(value=D(8))

    with pytest.raises(services.GradingError) as refused:
        services.override_note(
            note, value=D(21), result="validated", reason="Jury", by=people["staff"]
        )

    assert str(refused.value) == "La note doit être comprise entre 0 et 20."
    note.refresh_from_db()
    assert (note.is_overridden, note.changes.count()) == (False, 0)


def test_removing_an_override_that_is_not_there_changes_nothing(people):
    note = NoteFactory(value=D(8))

    services.remove_override(note, reason="Rien à annuler", by=people["staff"])

    assert NoteChange.objects.filter(note=note).count() == 0
