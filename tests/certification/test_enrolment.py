"""Enrolment services: who may enrol where and until when, one session at a time,
the office's placements and moves, and one outbox message per change."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from certification import enrolment
from certification.models import Candidate, CertificationResult, CertificationSession
from pixoffice.mail.models import Message
from tests.certification.enrolment_helpers import make_eligible, open_session
from tests.factories import AcademicYearFactory, ProgrammeFactory, StudentFactory
from tests.factories.certification import CandidateFactory, SessionFactory, paris
from tests.factories.rooms import RoomFactory

pytestmark = pytest.mark.django_db

NOW = paris(2027, 3, 1, 10)  # ten days before the sessions below


@pytest.fixture
def student():
    student = StudentFactory(email="lea@etu.univ-exemple.fr")
    make_eligible(student)
    return student


def published(**fields):
    return SessionFactory(status="published", **fields)


def enrol(session, student, **kwargs):
    return enrolment.enrol(session_id=session.pk, student=student, now=NOW, **kwargs)


def refusal(call) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value


# --- the cut-off ------------------------------------------------------------------------


def test_the_default_cut_off_is_48_hours_before_the_start():
    session = SessionFactory.build(starts_at=paris(2027, 3, 11, 9))

    assert enrolment.DEFAULT_CLOSING_HOURS == 48
    assert enrolment.closes_at(session) == paris(2027, 3, 9, 9)


def test_a_cut_off_set_by_the_office_wins_but_never_after_the_start():
    early = SessionFactory.build(
        starts_at=paris(2027, 3, 11, 9), enrolment_closes_at=paris(2027, 3, 4, 18)
    )
    late = SessionFactory.build(
        starts_at=paris(2027, 3, 11, 9), enrolment_closes_at=paris(2027, 3, 12, 9)
    )

    assert enrolment.closes_at(early) == paris(2027, 3, 4, 18)
    assert enrolment.closes_at(late) == paris(2027, 3, 11, 9)


def test_after_the_cut_off_the_student_cannot_enrol_nor_withdraw(student):
    session = published(starts_at=paris(2027, 3, 11, 9))
    candidate = enrol(session, student)

    late = paris(2027, 3, 9, 9, 1)
    error = refusal(
        lambda: enrolment.withdraw(candidate_id=candidate.pk, student=student, now=late)
    )
    other = StudentFactory()
    make_eligible(other)
    error_enrol = refusal(lambda: enrolment.enrol(session_id=session.pk, student=other, now=late))

    assert error.code == "closed" and "depuis le 09/03/2027 à 09:00" in error.messages[0]
    assert error_enrol.code == "closed"
    assert Candidate.objects.filter(session=session).count() == 1


# --- a student enrols ---------------------------------------------------------------------


def test_an_eligible_student_enrols_and_gets_one_short_confirmation(student):
    student.extra_time_percent = 33
    student.save()
    session = published(starts_at=paris(2027, 3, 11, 9))

    candidate = enrol(session, student, site_url="https://pix.univ-exemple.fr")

    assert candidate.session == session and candidate.extra_time_percent == 33
    message = Message.objects.get()
    assert message.key == f"certification:enrolled:candidate:{candidate.pk}"
    assert message.to == "lea@etu.univ-exemple.fr" and message.student == student
    assert (
        message.subject == "Certification Pix : vous êtes inscrit·e le jeudi 11 mars 2027 à 09:00"
    )
    assert "fin de votre épreuve : 11:35 (temps majoré de 33 %)" in message.text
    assert "jusqu'au mardi 9 mars 2027, 09:00" in message.text
    assert "https://pix.univ-exemple.fr/ma-certification/" in message.text


def test_enrolling_twice_changes_nothing_and_mails_once(student):
    session = published()
    enrol(session, student)

    error = refusal(lambda: enrol(session, student))

    assert error.code == "already"
    assert Candidate.objects.count() == 1 and Message.objects.count() == 1


def test_an_ineligible_student_is_told_why(student):
    other = StudentFactory()  # no share at all
    session = published()

    error = refusal(lambda: enrol(session, other))

    assert error.code == "not_eligible"
    assert error.messages[0].startswith("Vous ne pouvez pas encore vous inscrire : ")
    assert "profil n'est pas encore certifiable" in error.messages[0]
    assert not Candidate.objects.exists() and not Message.objects.exists()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": "draft"}, "not_published"),
        ({"status": "closed"}, "not_published"),
        ({"academic_year": "other"}, "other_year"),
        ({"programmes": "other"}, "other_programme"),
    ],
)
def test_a_session_not_open_to_the_student_refuses_them(student, change, code):
    fields = {"status": change.get("status", "published")}
    if change.get("academic_year"):
        fields["academic_year"] = AcademicYearFactory(
            name="2027-2028", start=dt.date(2027, 9, 1), end=dt.date(2028, 8, 31)
        )
    session = SessionFactory(**fields)
    if change.get("programmes"):
        session.programmes.set([ProgrammeFactory(name="L2 Histoire")])

    error = refusal(lambda: enrol(session, student))

    assert error.code == code
    assert not Candidate.objects.exists()


def test_a_session_of_several_programmes_names_them(student):
    session = published(starts_at=paris(2027, 3, 11, 9))
    session.programmes.set([ProgrammeFactory(name="L2 Histoire"), ProgrammeFactory(name="L2 SED")])

    error = refusal(lambda: enrol(session, student))
    session.programmes.add(student.programme)
    enrol(session, student)

    assert error.messages == [
        "La session du 11/03/2027 à 09:00 est réservée à : L2 Histoire, L2 SED."
    ]
    assert Candidate.objects.filter(session=session, student=student).exists()


def test_a_full_session_says_so_to_the_student(student):
    session = published(seats=1)
    CandidateFactory(session=session)

    error = refusal(lambda: enrol(session, student))

    assert error.code == "full"
    assert error.messages == [
        "Session complète : toutes ses places sont prises. Choisissez une autre session."
    ]


def test_extra_time_that_the_room_cannot_hold_is_said_to_the_student(student):
    student.extra_time_percent = 33
    student.save()
    session = published(starts_at=paris(2027, 3, 11, 9))
    SessionFactory(room=session.room, starts_at=paris(2027, 3, 11, 11))  # the next one

    error = refusal(lambda: enrol(session, student))

    assert error.code == "no_extended_slot"
    assert "Avec votre temps majoré (33 %)" in error.messages[0]


# --- one session at a time ------------------------------------------------------------------


def test_one_session_at_a_time_enrolling_elsewhere_is_a_move(student):
    first = published(starts_at=paris(2027, 3, 11, 9))
    second = published(starts_at=paris(2027, 3, 18, 14))
    old = enrol(first, student)

    error = refusal(lambda: enrol(second, student))
    new = enrol(second, student, moving=True)

    assert error.code == "elsewhere"
    assert "déjà inscrit·e à la session du 11/03/2027 à 09:00" in error.messages[0]
    assert list(Candidate.objects.values_list("session_id", flat=True)) == [second.pk]
    assert [m.key for m in Message.objects.order_by("pk")] == [
        f"certification:enrolled:candidate:{old.pk}",
        f"certification:moved:candidate:{new.pk}",
    ]
    moved = Message.objects.get(key__startswith="certification:moved")
    assert "vous ne passez plus la certification le jeudi 11 mars 2027 à 09:00" in moved.text
    assert "le jeudi 18 mars 2027 à 14:00" in moved.text


def test_a_student_cannot_move_out_of_a_session_past_its_cut_off(student):
    first = published(starts_at=paris(2027, 3, 2, 9))  # closed on 28/02
    CandidateFactory(session=first, student=student)
    second = published(starts_at=paris(2027, 3, 18, 14))

    error = refusal(lambda: enrol(second, student, moving=True))

    assert error.code == "closed"
    assert list(Candidate.objects.values_list("session_id", flat=True)) == [first.pk]


@pytest.mark.parametrize(
    ("attendance", "result", "may_enrol"),
    [
        ("absent", False, True),  # did not come: may enrol again
        ("excused", False, True),
        ("present", False, False),  # sat: wait for the result
        ("", False, False),
        ("present", True, True),  # the result came back (not obtained): may try again
    ],
)
def test_a_past_session_holds_the_student_until_absent_or_a_result(
    student, attendance, result, may_enrol
):
    past = published(starts_at=paris(2027, 2, 1, 9))
    CandidateFactory(session=past, student=student, attendance=attendance)
    if result:
        CertificationResult.objects.create(
            certification_number=1, student=student, session=past, first_name="L",
            last_name="E", status="rejected",
        )  # fmt: skip
    later = published(starts_at=paris(2027, 3, 11, 9))

    if may_enrol:
        enrol(later, student)
        assert Candidate.objects.filter(session=later, student=student).exists()
    else:
        assert refusal(lambda: enrol(later, student)).code == "elsewhere"


# --- a student withdraws --------------------------------------------------------------------


def test_a_student_withdraws_before_the_cut_off_and_is_told(student):
    session = published(starts_at=paris(2027, 3, 11, 9))
    candidate = enrol(session, student)

    enrolment.withdraw(candidate_id=candidate.pk, student=student, now=NOW)
    error = refusal(lambda: enrolment.withdraw(candidate_id=candidate.pk, student=student, now=NOW))

    assert not Candidate.objects.exists()
    assert error.code == "gone"  # a second click finds nothing, mails nothing
    withdrawn = Message.objects.get(key=f"certification:withdrawn:candidate:{candidate.pk}")
    assert "Vous vous êtes désinscrit·e de la session de certification du jeudi 11 mars" in (
        withdrawn.text
    )
    assert Message.objects.count() == 2


def test_a_student_cannot_withdraw_someone_else(student):
    candidate = CandidateFactory(session=published())

    error = refusal(lambda: enrolment.withdraw(candidate_id=candidate.pk, student=student, now=NOW))

    assert error.code == "gone" and Candidate.objects.filter(pk=candidate.pk).exists()


# --- the office ------------------------------------------------------------------------------


def test_the_office_places_after_the_cut_off_and_warns_when_not_eligible():
    session = published(starts_at=paris(2027, 3, 11, 9))
    student = StudentFactory(last_name="Martin", first_name="Léa")  # not eligible

    candidate, warnings = enrolment.place(
        session_id=session.pk, student=student, now=paris(2027, 3, 10, 12)
    )

    assert candidate.session == session
    assert warnings[0].startswith("Attention : Léa Martin n'est pas éligible (")
    assert Message.objects.get().key == f"certification:enrolled:candidate:{candidate.pk}"
    assert "Le bureau Pix vous a inscrit·e" in Message.objects.get().text


def test_placing_in_a_draft_session_mails_nobody(student):
    session = SessionFactory(status="draft")

    enrolment.place(session_id=session.pk, student=student, now=NOW)

    assert Candidate.objects.count() == 1 and not Message.objects.exists()


def test_the_office_cannot_place_someone_placed_elsewhere_but_moves_them(student):
    first = published(starts_at=paris(2027, 3, 11, 9))
    second = SessionFactory(starts_at=paris(2027, 3, 18, 14), status="draft")
    candidate = CandidateFactory(session=first, student=student)

    error = refusal(lambda: enrolment.place(session_id=second.pk, student=student, now=NOW))
    new = enrolment.move(candidate_id=candidate.pk, to_session_id=second.pk, now=NOW)

    assert error.code == "elsewhere" and "déplacez-le·la plutôt" in error.messages[0]
    assert new.session == second
    assert list(Candidate.objects.values_list("pk", flat=True)) == [new.pk]
    # the old session was published: the student hears of the move
    assert Message.objects.get().key == f"certification:moved:candidate:{new.pk}"


def test_a_move_to_a_full_session_changes_nothing(student):
    first = published(starts_at=paris(2027, 3, 11, 9))
    full = published(starts_at=paris(2027, 3, 18, 14), seats=1)
    CandidateFactory(session=full)
    candidate = CandidateFactory(session=first, student=student)

    error = refusal(
        lambda: enrolment.move(candidate_id=candidate.pk, to_session_id=full.pk, now=NOW)
    )

    assert error.code == "full"
    assert Candidate.objects.filter(pk=candidate.pk, session=first).exists()
    assert not Message.objects.exists()


def test_the_office_removes_and_the_student_is_told(student):
    candidate = CandidateFactory(session=published(), student=student)

    enrolment.remove(candidate_id=candidate.pk)

    assert not Candidate.objects.exists()
    assert "Le bureau Pix vous a retiré·e" in Message.objects.get().text


def test_a_retry_of_a_notification_queues_nothing_twice(student):
    candidate = CandidateFactory(session=published(), student=student)

    for _ in range(2):
        enrolment.notify("enrolled", candidate=candidate, session=candidate.session, site_url="")

    assert Message.objects.count() == 1


def test_open_sessions_are_those_of_the_students_year_programme_and_before_cut_off(student):
    mine = published(starts_at=paris(2027, 3, 11, 9))
    reserved = published(starts_at=paris(2027, 3, 11, 14))
    reserved.programmes.set([student.programme])
    published(starts_at=paris(2027, 3, 2, 9))  # past its cut-off (28/02 09:00)
    published(starts_at=paris(2027, 3, 12, 9), enrolment_closes_at=paris(2027, 2, 27))
    SessionFactory(starts_at=paris(2027, 3, 12, 14))  # draft
    other = published(starts_at=paris(2027, 3, 13, 9))
    other.programmes.set([ProgrammeFactory(name="L2 Histoire")])
    CandidateFactory(session=mine)

    sessions = list(enrolment.sessions_open_to(student, now=NOW))

    assert sessions == [mine, reserved]
    assert [s.placed for s in sessions] == [1, 0]


# --- the office's pages: POSTs per role -------------------------------------------------------

MOVE = {
    # role: (answer, the candidate ends in the target session)
    "anonymous": (302, False),
    "student_a": (403, False),
    "student_b": (403, False),
    "staff_other": (302, False),  # student A is not of their programmes: refused
    "staff": (302, True),
    "admin": (302, True),
}


@pytest.mark.parametrize("role", list(MOVE))
def test_who_moves_a_candidate_on_the_session_page(client, people, role):
    # past the cut-off of both: the office moves anyway
    first, second = open_session(days=1), open_session(days=1, hour=14)
    candidate = CandidateFactory(session=first, student=people["student_a"].student)
    if role != "anonymous":
        client.force_login(people[role])

    response = client.post(
        reverse("certification:candidate_move", kwargs={"pk": first.pk}),
        {"candidate": candidate.pk, "to": second.pk},
    )

    answer, moved = MOVE[role]
    assert response.status_code == answer
    assert Candidate.objects.filter(session=second).exists() == moved
    assert Candidate.objects.count() == 1
    if moved:
        text = client.get(response["Location"]).content.decode()
        start = timezone.localtime(second.starts_at)
        assert f"déplacé·e vers la session du {start:%d/%m/%Y} à 14:00" in text


def test_the_session_page_shows_the_cut_off_and_its_default(staff_client):

    session = published(starts_at=paris(2027, 3, 11, 9))

    text = staff_client.get(
        reverse("certification:session", kwargs={"pk": session.pk})
    ).content.decode()

    assert "09/03/2027 09:00 (par défaut, 48 heures avant le début)" in text


def test_staff_placing_someone_already_placed_are_told_to_move(staff_client, people):

    student = people["student_a"].student
    first = published(starts_at=paris(2027, 3, 11, 9))
    second = published(starts_at=paris(2027, 3, 18, 9))
    CandidateFactory(session=first, student=student)

    response = staff_client.post(
        reverse("certification:candidate_place", kwargs={"pk": second.pk}),
        {"student_number": student.student_number},
    )

    assert response.status_code == 200
    assert "déjà placé·e dans la session du 11/03/2027 à 09:00" in response.content.decode()
    assert not Candidate.objects.filter(session=second).exists()


def test_the_session_form_takes_programmes_and_a_cut_off_before_the_start(staff_client, people):

    room = RoomFactory(seats=30)
    histoire = people["staff_other"].programmes.get()
    data = {"room": room.pk, "day": "2027-03-11", "start": "09:00", "seats": "30",
            "programmes": [histoire.pk]}  # fmt: skip

    late = staff_client.post(
        reverse("certification:session_create"),
        {**data, "enrolment_closes_at": "2027-03-11T10:00"},
    )
    saved = staff_client.post(
        reverse("certification:session_create"),
        {**data, "enrolment_closes_at": "2027-03-05T18:00"},
    )

    assert "La fin des inscriptions doit précéder le début de la session." in (
        late.content.decode()
    )
    assert saved.status_code == 302
    session = CertificationSession.objects.get()
    assert list(session.programmes.all()) == [histoire]
    assert session.enrolment_closes_at == paris(2027, 3, 5, 18)
