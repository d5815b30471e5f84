"""PDF attestations: the text read back from the PDF, and who may download which."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from grading import attestations
from tests.factories import StudentFactory
from tests.grading.published import GRID_LABEL, add_note, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people, programmes):
    return build(people, programmes)


def pages_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_attestation_says_who_which_note_and_how(world):
    note = world["notes"]["a"]

    content = attestations.note_attestation(note)

    assert content.startswith(b"%PDF-")
    [text] = [one_line(t) for t in pages_text(content)]
    for expected in [
        "Attestation de résultat — Enseignement Pix",
        "Bureau Pix de l'université",
        "Martin",
        "Léa",
        "00123456",
        "0123456789A",
        "L2 Géographie",
        "Pix L2",
        "2026-2027",
        "Note 14,5/20",
        "Résultat Validé",
        "Certification : score certifié 530 pix → 14,5/20",
        "Résultat : 14,5/20 ≥ 10 → validé",
        f"Grille utilisée : {GRID_LABEL}",
        f"Note publiée le {timezone.localdate(note.published_at).day}",
    ]:
        assert expected in text, expected


def test_absent_student_attestation_shows_the_absence_code(world):
    [text] = [
        one_line(t) for t in pages_text(attestations.note_attestation(world["notes"]["bernard"]))
    ]

    assert "Note — Résultat Absent (ABI)" in text
    assert "Certification : aucune donnée → absence (ABI)" in text


def test_the_date_of_issue_is_the_paris_date(world, monkeypatch):
    # 30 June 2026 22:30 UTC is already 1 July in Paris (summer time, UTC+2)
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC))

    [text] = pages_text(attestations.note_attestation(world["notes"]["a"]))

    assert "Attestation délivrée le 1 juillet 2026" in one_line(text)


def test_an_unpublished_note_has_no_attestation(world):
    with pytest.raises(attestations.NotPublished):
        attestations.note_attestation(world["notes"]["b"])


def test_programme_pdf_has_one_page_per_published_note_sorted_by_name(world):
    content = attestations.render_pdf(
        attestations.programme_notes(world["scheme"], world["programme"])
    )

    texts = [one_line(t) for t in pages_text(content)]
    assert len(texts) == 3  # Bernard, Durand, Martin; Petit's note is not published
    assert ["Bernard" in texts[0], "Durand" in texts[1], "Martin" in texts[2]] == [True] * 3
    assert not any("Petit" in t or "12,5" in t for t in texts)


@pytest.mark.parametrize("more", [0, 2])
def test_the_programme_pdf_query_count_does_not_grow(world, more, django_assert_num_queries):
    for score in range(more):
        add_note(
            world["scheme"],
            StudentFactory(programme=world["programme"]),
            400 + score,
            published=True,
        )

    with django_assert_num_queries(1):
        content = attestations.render_pdf(
            attestations.programme_notes(world["scheme"], world["programme"])
        )

    assert len(pages_text(content)) == 3 + more


# --- downloads -----------------------------------------------------------------------------


def test_student_downloads_their_own_attestation(client, world):
    client.force_login(world["people"]["student_a"])

    response = client.get(reverse("grading:my_attestation", args=[world["notes"]["a"].pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="attestation-00123456-2026-2027.pdf"'
    )
    assert "14,5/20" in one_line(pages_text(response.content)[0])


def test_student_gets_404_for_another_students_note(client, world):
    client.force_login(world["people"]["student_b"])

    response = client.get(reverse("grading:my_attestation", args=[world["notes"]["a"].pk]))

    assert response.status_code == 404


def test_student_gets_404_for_their_own_unpublished_note(client, world):
    client.force_login(world["people"]["student_b"])

    response = client.get(reverse("grading:my_attestation", args=[world["notes"]["b"].pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_people_without_a_student_record_get_403_on_my_attestation(client, world, role):
    client.force_login(world["people"][role])

    response = client.get(reverse("grading:my_attestation", args=[world["notes"]["a"].pk]))

    assert response.status_code == 403


def test_staff_download_a_students_attestation(staff_client, world):
    response = staff_client.get(reverse("grading:attestation", args=[world["notes"]["a"].pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Martin" in pages_text(response.content)[0]


def test_staff_get_404_for_an_unpublished_note(staff_client, world):
    response = staff_client.get(reverse("grading:attestation", args=[world["notes"]["b"].pk]))

    assert response.status_code == 404


def test_staff_of_another_programme_get_404(client, world):
    client.force_login(world["people"]["staff_other"])

    response = client.get(reverse("grading:attestation", args=[world["notes"]["a"].pk]))

    assert response.status_code == 404


def test_staff_download_the_programme_pdf(staff_client, world):
    url = reverse("grading:export", args=[world["scheme"].pk])

    response = staff_client.get(url, {"programme": world["programme"].pk, "format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="attestations-pix-l2-2026-2027-l2-geographie.pdf"'
    )
    assert len(pages_text(response.content)) == 3


def test_programme_pdf_without_published_notes_goes_back_with_a_message(
    staff_client, world, programmes
):
    histoire = programmes["L2 Histoire"]
    world["scheme"].programmes.add(histoire)
    url = reverse("grading:export", args=[world["scheme"].pk])

    response = staff_client.get(url, {"programme": histoire.pk, "format": "pdf"}, follow=True)

    assert response.redirect_chain == [(reverse("grading:scheme", args=[world["scheme"].pk]), 302)]
    assert "Aucune note publiée pour L2 Histoire : pas d&#x27;attestation à imprimer." in (
        response.content.decode()
    )
