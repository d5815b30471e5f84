"""« Ma certification »: the sessions open to the student, enrol / withdraw / change,
declared unavailable slots, the convocation, the result and its validity; and who
may POST what (student, other student, staff of another programme, staff, admin,
anonymous)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import Candidate, CertificationResult, Unavailability
from pixoffice.mail.models import Message
from tests.certification.enrolment_helpers import make_eligible, open_session
from tests.factories import ProgrammeFactory
from tests.factories.certification import CandidateFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student_a", "student_b", "staff_other", "staff", "admin"]


@pytest.fixture
def student(people):
    student = people["student_a"].student
    make_eligible(student, people["student_b"].student)
    return student


def login(client, people, role):
    if role != "anonymous":
        client.force_login(people[role])


def page(client):
    return client.get(reverse("certification:mine")).content.decode()


def in_days(days, hour=9):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# --- the page ------------------------------------------------------------------------------


def test_the_page_lists_the_open_sessions_with_seats_left_and_cut_off(client, people, student):
    session = open_session(days=10, seats=3, room__name="Mercure", room__building="DR")
    CandidateFactory(session=session)
    full = open_session(days=11, seats=1)
    CandidateFactory(session=full)
    reserved = open_session(days=12)
    reserved.programmes.set([ProgrammeFactory(name="L2 Histoire")])
    client.force_login(people["student_a"])

    text = page(client)

    cut = timezone.localtime(session.starts_at - dt.timedelta(hours=48))
    assert f"{cut:%d/%m/%Y %H:%M}" in text
    assert "DR, Mercure" in text and '<td class="num">2</td>' in text
    assert "<strong>complète</strong>" in text
    assert f'data-session="{reserved.pk}"' not in text  # not open to L2 Géographie
    assert text.count("M&#x27;inscrire") + text.count("M'inscrire") == 1  # the full one: none
    assert "ferment 48 heures avant son début" in text


def test_the_page_costs_the_same_queries_whatever_the_number_of_sessions(
    client, people, student, django_assert_num_queries
):
    client.force_login(people["student_a"])
    open_session(days=10)
    page(client)
    # session, student, eligibility (3), pending candidacy, candidacies, slots, open
    # sessions, results (the user is cached since the first visit)
    with django_assert_num_queries(10):
        client.get(reverse("certification:mine"))
    for days in (11, 12, 13):
        open_session(days=days)
    with django_assert_num_queries(10):
        client.get(reverse("certification:mine"))


def test_enrol_then_see_the_convocation_then_withdraw(client, people, student):
    student.extra_time_percent = 33
    student.save()
    session = open_session(days=10, room__name="Neptune", room__site__name="Campus 1")
    client.force_login(people["student_a"])

    response = client.post(reverse("certification:enrol", kwargs={"pk": session.pk}))
    text = page(client)

    candidate = Candidate.objects.get(student=student)
    assert response.status_code == 302
    start = timezone.localtime(session.starts_at)
    assert f"Vous êtes inscrit·e à la session du {start:%d/%m/%Y} à 09:00." in text
    assert "Ma convocation" in text and "Campus 1" in text and "Neptune" in text
    assert "11:35" in text and "temps majoré de 33 %" in text
    assert "Me désinscrire" in text
    assert Message.objects.filter(key=f"certification:enrolled:candidate:{candidate.pk}").exists()

    client.post(reverse("certification:withdraw", kwargs={"pk": candidate.pk}))

    assert not Candidate.objects.exists()
    assert "Vous êtes désinscrit·e de cette session." in page(client)


def test_a_published_placement_links_to_its_convocation(client, people, student):
    candidate = CandidateFactory(session=open_session(days=10), student=student)
    client.force_login(people["student_a"])

    response = client.get(reverse("certification:mine"))

    url = reverse("certification:my_convocation", args=[candidate.pk])
    assert response.context["convocation_url"] == url
    assert f'href="{url}"' in response.content.decode()


def test_a_student_changes_session_in_one_click(client, people, student):
    first, second = open_session(days=10), open_session(days=17, hour=14)
    CandidateFactory(session=first, student=student)
    client.force_login(people["student_a"])

    assert "Choisir cette session à la place" in page(client)
    client.post(reverse("certification:enrol", kwargs={"pk": second.pk}), {"move": "1"})

    assert list(Candidate.objects.values_list("session_id", flat=True)) == [second.pk]
    assert "vous passez maintenant la certification le" in page(client)


def test_a_full_session_is_a_message_not_an_error_page(client, people, student):
    session = open_session(days=10, seats=1)
    CandidateFactory(session=session)
    client.force_login(people["student_a"])

    response = client.post(reverse("certification:enrol", kwargs={"pk": session.pk}), follow=True)

    assert response.status_code == 200
    assert "Session complète : toutes ses places sont prises." in response.content.decode()
    assert not Candidate.objects.filter(student=student).exists()


def test_an_ineligible_student_sees_why_and_no_button(client, people):
    open_session(days=10)
    client.force_login(people["student_a"])  # no share: not eligible

    text = page(client)

    assert "Vous pourrez vous inscrire dès que vous serez éligible" in text
    assert "M'inscrire" not in text and "M&#x27;inscrire" not in text


def test_the_result_and_the_certificate_validity_are_shown(client, people, student):
    taken = timezone.localdate() - dt.timedelta(days=30)
    CertificationResult.objects.create(
        certification_number=7, student=student, first_name="A", last_name="B",
        status="validated", score=507, level="Indépendant 2", taken_on=taken,
    )  # fmt: skip
    client.force_login(people["student_a"])

    text = page(client)

    until = taken.replace(year=taken.year + 3)
    assert f"Votre certification Pix est valable jusqu&#x27;au {until:%d/%m/%Y}." in text or (
        f"Votre certification Pix est valable jusqu'au {until:%d/%m/%Y}." in text
    )
    assert "507" in text and "Validée" in text


# --- unavailable slots ---------------------------------------------------------------------


def slot(days, start, end, reason="Partiel"):
    day = timezone.localdate() + dt.timedelta(days=days)
    return {
        "starts_at": f"{day:%Y-%m-%d}T{start}",
        "ends_at": f"{day:%Y-%m-%d}T{end}",
        "reason": reason,
    }


def test_a_student_declares_and_removes_an_unavailable_slot(client, people, student):
    session = open_session(days=10)
    client.force_login(people["student_a"])

    response = client.post(reverse("certification:unavailability_add"), slot(10, "08:00", "12:00"))
    text = page(client)

    declared = Unavailability.objects.get()
    assert response.status_code == 302 and declared.student == student
    assert timezone.localtime(declared.starts_at).hour == 8  # Paris time
    assert "(Partiel)" in text
    assert "sur un de vos créneaux indisponibles" in text  # the session at 9:00 meets it
    assert f'data-session="{session.pk}"' in text

    client.post(reverse("certification:unavailability_remove", kwargs={"pk": declared.pk}))

    assert not Unavailability.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (slot(3, "12:00", "10:00"), "La fin du créneau doit être après son début."),
        (slot(-3, "08:00", "10:00"), "Ce créneau est déjà passé : indiquez un créneau à venir."),
        ({"starts_at": "demain", "ends_at": "", "reason": ""}, "Début du créneau : date et heure"),
        ({"starts_at": "", "ends_at": "", "reason": ""}, "Indiquez le début du créneau."),
    ],
)
def test_a_wrong_slot_is_refused_in_french_and_nothing_saved(client, people, data, message):
    client.force_login(people["student_a"])

    response = client.post(reverse("certification:unavailability_add"), data)

    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Unavailability.objects.exists()


def test_a_slot_longer_than_a_month_is_refused(client, people):
    client.force_login(people["student_a"])
    start = timezone.localdate() + dt.timedelta(days=2)
    end = start + dt.timedelta(days=40)

    response = client.post(
        reverse("certification:unavailability_add"),
        {"starts_at": f"{start:%Y-%m-%d}T08:00", "ends_at": f"{end:%Y-%m-%d}T08:00"},
    )

    assert "Un créneau ne peut pas dépasser 31 jours" in response.content.decode()
    assert not Unavailability.objects.exists()


# --- who may POST what -----------------------------------------------------------------------


ENROL = {"anonymous": 302, "student_a": 302, "student_b": 302, "staff_other": 403,
         "staff": 403, "admin": 403}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_only_a_student_enrols_themselves(client, people, student, role):
    session = open_session(days=10)
    login(client, people, role)

    response = client.post(reverse("certification:enrol", kwargs={"pk": session.pk}))

    assert response.status_code == ENROL[role]
    enrolled = set(Candidate.objects.values_list("student__user__email", flat=True))
    expected = {people[role].email} if role.startswith("student") else set()
    assert enrolled == expected
    if role == "anonymous":
        assert response["Location"].startswith("/comptes/")


WITHDRAW = {"anonymous": 302, "student_a": 302, "student_b": 404, "staff_other": 403,
            "staff": 403, "admin": 403}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_only_the_candidate_withdraws_on_this_page(client, people, student, role):
    candidate = CandidateFactory(session=open_session(days=10), student=student)
    login(client, people, role)

    response = client.post(reverse("certification:withdraw", kwargs={"pk": candidate.pk}))

    assert response.status_code == WITHDRAW[role]
    assert Candidate.objects.filter(pk=candidate.pk).exists() == (role != "student_a")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_student_removes_their_own_slot(client, people, student, role):
    start = timezone.now() + dt.timedelta(days=5)
    declared = Unavailability.objects.create(
        student=student, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    login(client, people, role)

    response = client.post(
        reverse("certification:unavailability_remove", kwargs={"pk": declared.pk})
    )

    assert response.status_code == WITHDRAW[role]
    assert Unavailability.objects.filter(pk=declared.pk).exists() == (role != "student_a")


@pytest.mark.parametrize("role", ROLES)
def test_only_students_declare_slots_and_each_their_own(client, people, role):
    login(client, people, role)

    response = client.post(reverse("certification:unavailability_add"), slot(5, "08:00", "10:00"))

    assert response.status_code == ENROL[role]
    owners = set(Unavailability.objects.values_list("student__user__email", flat=True))
    assert owners == ({people[role].email} if role.startswith("student") else set())


def test_get_on_the_actions_is_refused(client, people, student):
    session = open_session(days=10)
    client.force_login(people["student_a"])

    assert client.get(reverse("certification:enrol", kwargs={"pk": session.pk})).status_code == 405
    assert client.get(reverse("certification:unavailability_add")).status_code == 405
    assert not Candidate.objects.exists()
