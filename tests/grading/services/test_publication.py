"""``grading.services.publication``: a programme's notes shown to its students; notes
already published change only with a reason."""

from decimal import Decimal as D

import pytest

from grading import services
from grading.models import Note, Publication
from tests.factories import NoteFactory, SchemeFactory

pytestmark = pytest.mark.django_db


def test_publication_then_republication_with_a_reason(saint_etienne, programmes, people):
    scheme = saint_etienne.scheme
    services.recompute_notes(scheme)
    geo = programmes["L2 Géographie"]
    count = Note.objects.filter(scheme=scheme, student__programme=geo).count()
    assert count == 1  # Nina

    publication = services.publish_notes(scheme, geo, by=people["staff"])
    assert publication.notes_count == count
    assert services.publish_notes(scheme, geo, by=people["staff"]) is None  # nothing new

    note = Note.objects.get(scheme=scheme, student=saint_etienne.nina)
    services.override_note(note, value=D(15), result="validated", reason="Jury", by=people["staff"])
    note.refresh_from_db()
    assert note.published_value == D(4) and note.differs_from_published

    with pytest.raises(services.GradingError, match="motif"):
        services.publish_notes(scheme, geo, by=people["staff"])
    publication = services.publish_notes(scheme, geo, by=people["staff"], reason="Jury de janvier")

    assert publication.notes_count == 1
    note.refresh_from_db()
    assert (note.published_value, note.published_result) == (D(15), "validated")
    kinds = list(note.changes.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == ["computed", "published", "override", "republished"]
    assert note.published_explanation[-1]["kind"] == "override"
    assert Publication.objects.count() == 2


def test_other_programmes_stay_unpublished(saint_etienne, programmes, people):
    scheme = saint_etienne.scheme
    services.recompute_notes(scheme)

    services.publish_notes(scheme, programmes["L2 Géographie"], by=people["staff"])

    unpublished = Note.objects.filter(scheme=scheme, published_at__isnull=True)
    assert set(unpublished.values_list("student", flat=True)) == {
        saint_etienne.simon.pk,
        saint_etienne.hugo.pk,
        saint_etienne.leo.pk,
    }


def test_the_plan_sorts_first_changed_and_unchanged_notes(programmes):
    geo = programmes["L2 Géographie"]
    scheme = SchemeFactory(programmes=[geo])
    first = NoteFactory(scheme=scheme, student__programme=geo)
    same = NoteFactory(scheme=scheme, student__programme=geo, published=True)
    changed = NoteFactory(scheme=scheme, student__programme=geo, published=True)
    Note.objects.filter(pk=changed.pk).update(value=D(3))
    NoteFactory(scheme=scheme, student__programme=programmes["L2 SED"])  # another programme

    plan = services.plan_publication(scheme, geo)

    assert ([n.pk for n in plan.first], [n.pk for n in plan.changed], plan.unchanged) == (
        [first.pk],
        [changed.pk],
        1,
    )
    assert same.is_published and not same.differs_from_published
