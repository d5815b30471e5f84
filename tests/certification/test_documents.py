"""Convocations, attendance sheets and a day's documents: the text read back from the
PDFs, and who may download which."""

import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certification import documents
from tests.factories import StudentFactory
from tests.factories.certification import CandidateFactory, SessionFactory, paris
from tests.factories.rooms import RoomFactory, SiteFactory

pytestmark = pytest.mark.django_db


def pages_text(content: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def patio(programmes):
    """The Strasbourg salle PIX, a published session on Thursday 11 March 2027 at 9:00
    with two candidates, one of them with a tiers-temps (+33 %)."""
    site = SiteFactory(name="Strasbourg — Esplanade", address="22 rue René Descartes, Strasbourg")
    room = RoomFactory(site=site, building="Le Patio, bâtiment 4", name="Salle PIX", seats=30)
    session = SessionFactory(
        room=room, starts_at=paris(2027, 3, 11, 9), status="published", access_code="K7P2QX"
    )
    geo = programmes["L2 Géographie"]
    tiers = CandidateFactory(
        session=session,
        student=StudentFactory(last_name="Zidane", first_name="Inès", programme=geo),
        extra_time_percent=33,
    )
    plain = CandidateFactory(
        session=session, student=StudentFactory(last_name="Adam", first_name="Noé", programme=geo)
    )
    return {"session": session, "tiers": tiers, "plain": plain}


def test_a_convocation_says_when_where_how_long_and_what_to_bring(patio):
    content = documents.convocations_pdf([patio["tiers"]])

    [text] = pages_text(content)
    for expected in [
        "Convocation à la certification Pix",
        "Zidane Inès",
        "Le jeudi 11 mars 2027 à 09:00",
        "Fin de votre épreuve : 11:35",  # 9:00 + 15 min + 1 h 45 × 1.33 (2 h 20)
        "Strasbourg — Esplanade, 22 rue René Descartes, Strasbourg",
        "Le Patio, bâtiment 4",
        "Salle : Salle PIX",
        "2 h, dont 1 h 45 de test",
        "Temps majoré de 33 % : votre test dure 2 h 20.",
        "identifiant et mot de passe Pix",
        "une pièce d'identité avec photo",
    ]:
        assert expected in text, expected
    # the access code is given in the room, never printed on the convocation
    assert "K7P2QX" not in text


def test_a_session_is_one_pdf_with_a_page_per_candidate_by_name(patio):
    candidates = documents.candidates_of([patio["session"].pk])

    first, second = pages_text(documents.convocations_pdf(candidates))

    assert "Adam Noé" in first and "Fin de votre épreuve : 11:00" in first
    assert "Zidane Inès" in second and "Fin de votre épreuve : 11:35" in second


def test_the_attendance_sheet_lists_each_end_time_and_a_signature_column(patio, people):
    session = patio["session"]
    session.invigilators.add(people["staff"])
    candidates = documents.candidates_of([session.pk])

    [text] = pages_text(documents.attendance_pdf(session, candidates, hidden=1))

    assert "Feuille d'émargement — certification Pix" in text
    assert "Le jeudi 11 mars 2027, de 09:00 à 11:00" in text
    assert "salle Salle PIX" in text
    assert "code d'accès candidat : K7P2QX" in text  # for the invigilators
    assert "Signature" in text and "Fin de l'épreuve" in text
    assert "1 Adam Noé" in text and "11:00" in text
    assert "2 Zidane Inès" in text and "33 % 11:35" in text
    assert "1 candidat·e d'une formation que vous ne suivez pas ne figure pas" in text


def test_the_student_downloads_their_own_convocation_only(client, people, patio):
    mine = CandidateFactory(session=patio["session"], student=people["student_a"].student)
    client.force_login(people["student_a"])

    page = client.get(reverse("certification:mine")).content.decode()
    response = client.get(reverse("certification:my_convocation", kwargs={"pk": mine.pk}))
    other = client.get(reverse("certification:my_convocation", kwargs={"pk": patio["tiers"].pk}))

    assert reverse("certification:my_convocation", kwargs={"pk": mine.pk}) in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "convocation-certification-pix-2027-03-11-" in response["Content-Disposition"]
    [text] = pages_text(response.content)
    assert people["student_a"].student.last_name in text
    assert other.status_code == 404


def test_no_convocation_of_a_draft_session_and_none_for_staff(client, people):
    draft = CandidateFactory(student=people["student_a"].student)
    url = reverse("certification:my_convocation", kwargs={"pk": draft.pk})

    client.force_login(people["student_a"])
    assert client.get(url).status_code == 404
    client.force_login(people["staff"])
    assert client.get(url).status_code == 403


def test_staff_get_the_convocations_of_their_programmes(client, people, patio, programmes):
    CandidateFactory(
        session=patio["session"],
        student=StudentFactory(last_name="Histoire", programme=programmes["L2 Histoire"]),
    )
    url = reverse("certification:session_convocations", kwargs={"pk": patio["session"].pk})

    client.force_login(people["staff_other"])  # follows L2 Histoire only
    response = client.get(url)

    assert response.status_code == 200
    [text] = pages_text(response.content)
    assert "Histoire" in text and "Zidane" not in text
    assert "convocations-2027-03-11-09h00-salle-pix.pdf" in response["Content-Disposition"]


def test_the_session_attendance_view_says_how_many_it_leaves_out(client, people, patio):
    client.force_login(people["staff_other"])  # none of the two candidates is theirs

    response = client.get(
        reverse("certification:session_attendance", kwargs={"pk": patio["session"].pk})
    )

    [text] = pages_text(response.content)
    assert "Aucun·e candidat·e placé·e." in text
    assert "2 candidat·e·s de formations que vous ne suivez pas ne figurent pas" in text
    assert "emargement-2027-03-11-09h00-salle-pix.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("count", [1, 3])
def test_session_convocations_cost_constant_queries(
    staff_client, patio, count, django_assert_num_queries
):
    for i in range(count):
        CandidateFactory(session=patio["session"], student=StudentFactory(last_name=f"N{i}"))

    # session, user, session again, visible student ids, candidates
    with django_assert_num_queries(5):
        response = staff_client.get(
            reverse("certification:session_convocations", kwargs={"pk": patio["session"].pk})
        )

    assert len(pages_text(response.content)) == 2 + count


def test_the_day_zip_holds_every_document_of_the_day(staff_client, patio):
    other_room = RoomFactory(name="Mercure DR S03", seats=37)
    afternoon = SessionFactory(
        room=other_room, starts_at=paris(2027, 3, 11, 14), status="published"
    )
    CandidateFactory(session=afternoon, student=StudentFactory(last_name="Martin"))
    SessionFactory(starts_at=paris(2027, 3, 11, 16))  # a draft: not printed
    SessionFactory(starts_at=paris(2027, 3, 12, 9), status="published")  # another day

    response = staff_client.get(reverse("certification:day_documents"), {"jour": "2027-03-11"})

    assert response["Content-Type"] == "application/zip"
    assert "certification-pix-2027-03-11.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "convocations-2027-03-11.pdf",
        "sessions/convocations-2027-03-11-09h00-salle-pix.pdf",
        "sessions/convocations-2027-03-11-14h00-mercure-dr-s03.pdf",
        "sessions/emargement-2027-03-11-09h00-salle-pix.pdf",
        "sessions/emargement-2027-03-11-14h00-mercure-dr-s03.pdf",
    ]
    day = pages_text(archive.read("convocations-2027-03-11.pdf"))
    assert [("Adam" in t, "Zidane" in t, "Martin" in t) for t in day] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]
    [sheet] = pages_text(archive.read("sessions/emargement-2027-03-11-14h00-mercure-dr-s03.pdf"))
    assert "Martin" in sheet and "14:00" in sheet


def test_a_day_without_published_session_goes_back_to_its_week(staff_client):
    response = staff_client.get(reverse("certification:day_documents"), {"jour": "2027-03-11"})

    assert response.status_code == 302
    assert response["Location"].endswith("?semaine=2027-03-08")


def test_the_session_page_and_the_week_link_the_documents(staff_client, patio):
    session = patio["session"]

    page = staff_client.get(reverse("certification:session", kwargs={"pk": session.pk}))
    week = staff_client.get(reverse("certification:session_list"), {"semaine": "2027-03-08"})

    text = page.content.decode()
    assert reverse("certification:session_convocations", kwargs={"pk": session.pk}) in text
    assert reverse("certification:session_attendance", kwargs={"pk": session.pk}) in text
    assert reverse("certification:day_documents") + "?jour=2027-03-11" in week.content.decode()
