"""Attendance: the office records it for the whole session in one form, within its
programmes; a results import marks present the candidates a result came back for."""

import pytest
from django.urls import reverse

from certification.models import Candidate
from certification.results import apply_results_import, plan_results_import
from tests.factories import StudentFactory
from tests.factories.certification import CandidateFactory, SessionFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student_a", "student_b", "staff_other", "staff", "admin"]


@pytest.fixture
def session_with_two(people):
    """A published session: student A (L2 Géographie) and an L2 Histoire student."""
    session = SessionFactory(status="published")
    geo = CandidateFactory(session=session, student=people["student_a"].student)
    histoire = CandidateFactory(
        session=session, student=StudentFactory(programme=people["staff_other"].programmes.get())
    )
    return session, geo, histoire


def post(client, session, values):
    return client.post(
        reverse("certification:attendance", kwargs={"pk": session.pk}),
        {f"presence-{c.pk}": v for c, v in values.items()},
    )


def attendance(*candidates):
    return [Candidate.objects.get(pk=c.pk).attendance for c in candidates]


def test_staff_record_everyones_attendance_in_one_form(staff_client, session_with_two):
    session, geo, histoire = session_with_two

    page = staff_client.get(reverse("certification:session", kwargs={"pk": session.pk}))
    response = post(staff_client, session, {geo: "present", histoire: "excused"})

    text = page.content.decode()
    assert 'form="presences"' in text and f'name="presence-{geo.pk}"' in text
    assert "Enregistrer les présences" in text
    assert response.status_code == 302
    assert attendance(geo, histoire) == ["present", "excused"]
    followed = staff_client.get(response["Location"]).content.decode()
    assert "Présences enregistrées (2 modifiées)." in followed


def test_a_value_that_is_not_a_choice_writes_nothing(staff_client, session_with_two):
    session, geo, histoire = session_with_two

    response = post(staff_client, session, {geo: "present", histoire: "peut-être"})

    text = staff_client.get(response["Location"]).content.decode()
    assert "« peut-être » n&#x27;est pas une valeur possible." in text or (
        "« peut-être » n'est pas une valeur possible." in text
    )
    assert f"Présence de {histoire.student.full_name}" in text
    assert attendance(geo, histoire) == ["", ""]


def test_a_draft_session_takes_no_attendance(staff_client, people):
    session = SessionFactory(status="draft")
    candidate = CandidateFactory(session=session, student=people["student_a"].student)

    page = staff_client.get(reverse("certification:session", kwargs={"pk": session.pk}))
    post(staff_client, session, {candidate: "present"})

    assert 'form="presences"' not in page.content.decode()
    assert attendance(candidate) == [""]


EXPECTED = {
    # role: (answer, what student A's and the Histoire student's attendance become)
    "anonymous": (302, ["", ""]),
    "student_a": (403, ["", ""]),
    "student_b": (403, ["", ""]),
    "staff_other": (302, ["", "absent"]),  # only their programme's candidate
    "staff": (302, ["absent", "absent"]),
    "admin": (302, ["absent", "absent"]),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_records_attendance_and_for_whom(client, people, session_with_two, role):
    session, geo, histoire = session_with_two
    if role != "anonymous":
        client.force_login(people[role])

    response = post(client, session, {geo: "absent", histoire: "absent"})

    answer, after = EXPECTED[role]
    assert response.status_code == answer
    assert attendance(geo, histoire) == after


def test_the_staff_page_offers_the_move_only_of_their_candidates(client, people, session_with_two):
    session, _geo, histoire = session_with_two
    client.force_login(people["staff_other"])

    response = client.get(reverse("certification:session", kwargs={"pk": session.pk}))

    choices = [c for c, _label in response.context["move_form"].fields["candidate"].choices if c]
    assert [c.value for c in choices] == [histoire.pk]


RESULTS_HEADER = (
    '"Numéro de certification";"Prénom";"Nom";"Date de naissance";"Lieu de naissance";'
    '"Identifiant Externe";"Type de certification";"Statut";"Niveau";"Score en Pix";'
    '"1.1";"1.2";"1.3";"2.1";"2.2";"2.3";"2.4";"3.1";"3.2";"3.3";"3.4";"4.1";"4.2";'
    '"4.3";"5.1";"5.2";"Commentaire jury pour l’organisation";"Session";'
    '"Centre de certification";"Date de passage de la certification"'
)


def results_file(*rows) -> bytes:
    lines = [RESULTS_HEADER]
    for number, student, status, session in rows:
        levels = ";".join(["2"] * 16)
        lines.append(
            f'{number};"{student.first_name}";"{student.last_name}";"01/02/2005";"Caen";'
            f'"{student.student_number}";"Pix";"{status}";"Indépendant 2";507;{levels};;'
            f'{session};"Université - Centre Pix";"11/03/2027"'
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def test_a_results_import_marks_present_those_a_result_came_back_for():
    session = SessionFactory(status="published", pix_session_number=198695)
    other_session = SessionFactory(status="published", pix_session_number=198696)
    came = CandidateFactory(session=session, attendance="absent")  # a slip, corrected
    cancelled = CandidateFactory(session=session)
    stayed_home = CandidateFactory(session=session, attendance="absent")
    elsewhere = CandidateFactory(session=other_session, student=StudentFactory())
    data = results_file(
        (4000001, came.student, "Validée", 198695),
        (4000002, cancelled.student, "Annulée", 198695),
        (4000003, elsewhere.student, "Validée", 198695),  # not a candidate of that session
    )

    plan = plan_results_import(data)
    assert plan.ok, plan.errors
    counts = apply_results_import(plan)
    again = apply_results_import(plan_results_import(data))

    assert counts["marked_present"] == 2 and again["marked_present"] == 0
    assert attendance(came, cancelled, stayed_home, elsewhere) == [
        "present",
        "present",
        "absent",
        "",
    ]
