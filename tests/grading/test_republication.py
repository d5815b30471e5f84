"""A published note is a snapshot of value, result and explanation: any change of one
of them marks it « à republier », and the student keeps seeing the published snapshot."""

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from pypdf import PdfReader

from grading import attestations, explain, services
from grading.models import Note, NoteChange
from tests.grading.conftest import give_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme(saint_etienne):
    return saint_etienne.scheme


@pytest.fixture
def published(scheme, saint_etienne, programmes, people):
    """The scheme computed without any badge and published for L2 SED: Simon's note."""
    services.recompute_notes(scheme)
    services.publish_notes(scheme, programmes["L2 SED"], by=people["staff"])
    return Note.objects.get(scheme=scheme, student=saint_etienne.simon)


def test_a_badge_obtained_after_publication_marks_the_note_to_republish(
    published, scheme, requirement
):
    assert published.needs_republication is False
    missing = explain.sentences(published.published_explanation)[2]
    assert missing.startswith("Module IA : manquant")

    give_badge(published.student, requirement)
    report = services.recompute_notes(scheme, [published.student_id])

    note = Note.objects.get(pk=published.pk)
    # same value and result (2,5 < 10): only the sentence about the badge changed
    assert (note.value, note.result) == (D("2.5"), Note.Result.NOT_VALIDATED)
    assert report.changed == 1
    assert note.needs_republication is True and note.differs_from_published
    assert explain.sentences(note.explanation)[2] == "Module IA : obtenu"
    assert explain.sentences(note.published_explanation)[2] == missing
    change = note.changes.first()
    assert change.kind == NoteChange.Kind.EXPLAINED
    assert (change.old_value, change.new_value) == (D("2.5"), D("2.5"))


def test_the_student_keeps_the_published_snapshot_on_the_page_and_the_pdf(
    published, scheme, requirement, client
):
    give_badge(published.student, requirement)
    services.recompute_notes(scheme, [published.student_id])
    client.force_login(_account_of(published.student))

    page = client.get(reverse("grading:mine")).content.decode()
    content = attestations.note_attestation(Note.objects.get(pk=published.pk))
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    pdf = " ".join(pdf.split())

    assert "Module IA : manquant" in page and "Module IA : obtenu" not in page
    assert "Module IA : manquant" in pdf and "Module IA : obtenu" not in pdf


def _account_of(student):
    from pixoffice.accounts.models import Role
    from tests.factories.accounts import UserFactory

    user = UserFactory(email=student.email or "simon@etu.univ-exemple.fr", role=Role.STUDENT)
    student.user = user
    student.save(update_fields=["user"])
    return user


def test_notes_to_republish_are_counted_per_programme_and_filtered(
    published, scheme, requirement, staff_client, programmes
):
    give_badge(published.student, requirement)
    services.recompute_notes(scheme, [published.student_id])
    sed = programmes["L2 SED"]

    page = staff_client.get(reverse("grading:scheme", args=[scheme.pk]))
    filtered = staff_client.get(
        reverse("grading:scheme", args=[scheme.pk]), {"programme": sed.pk, "state": "to_republish"}
    )

    counts = {p.name: p.to_republish for p in page.context["summary"]}
    assert counts == {"L2 Géographie": 0, "L2 Histoire": 0, "L2 SED": 1, "L2 Sociologie": 0}
    assert 'data-to-republish="L2 SED"' in page.content.decode()
    assert [n.pk for n in filtered.context["page"].object_list] == [published.pk]


def test_republishing_clears_the_mark_and_shows_the_new_explanation(
    published, scheme, requirement, programmes, people
):
    give_badge(published.student, requirement)
    services.recompute_notes(scheme, [published.student_id])

    with pytest.raises(services.GradingError):
        services.publish_notes(scheme, programmes["L2 SED"], by=people["staff"])
    services.publish_notes(
        scheme, programmes["L2 SED"], by=people["staff"], reason="Badge reçu après le jury"
    )

    note = Note.objects.get(pk=published.pk)
    assert note.needs_republication is False
    assert explain.sentences(note.published_explanation)[2] == "Module IA : obtenu"


def test_an_override_after_publication_marks_it_and_removing_it_clears_it(published, people):
    note = services.override_note(
        published, value=D(12), result=Note.Result.VALIDATED, reason="Jury", by=people["staff"]
    )
    assert note.needs_republication is True

    note = services.remove_override(note, reason="Erreur de saisie", by=people["staff"])

    assert note.needs_republication is False
