import pytest
from django.urls import reverse

from certification import services
from certification.models import Candidate, CertificationSession
from tests.factories import AcademicYearFactory, StudentFactory
from tests.factories.certification import CandidateFactory, SessionFactory, paris
from tests.factories.rooms import RoomFactory

pytestmark = pytest.mark.django_db

WEEK = {"semaine": "2027-03-08"}


@pytest.mark.parametrize("count", [1, 3])
def test_week_list_costs_constant_queries(staff_client, django_assert_num_queries, count):
    for hour in range(count):
        session = SessionFactory(starts_at=paris(2027, 3, 11, 8 + 2 * hour))
        CandidateFactory(session=session)

    # session, user, sites, sessions with counts, invigilators
    with django_assert_num_queries(5):
        response = staff_client.get(reverse("certification:session_list"), WEEK)

    assert response.status_code == 200
    assert [s.placed for s in response.context["sessions"]] == [1] * count


def test_the_week_flags_an_invigilator_in_two_places(staff_client, people):
    a = SessionFactory(starts_at=paris(2027, 3, 11, 9))
    b = SessionFactory(starts_at=paris(2027, 3, 11, 10))
    a.invigilators.add(people["staff"])
    b.invigilators.add(people["staff"])

    text = staff_client.get(reverse("certification:session_list"), WEEK).content.decode()
    page = staff_client.get(reverse("certification:session", kwargs={"pk": a.pk})).content.decode()

    assert text.count("surveillant·e sur deux sessions à la fois") == 2
    assert "surveille aussi la session du 11/03/2027 à 10:00" in page


def test_staff_create_a_session_in_paris_time(staff_client, people):
    room = RoomFactory(seats=37)

    response = staff_client.post(
        reverse("certification:session_create"),
        {
            "room": room.pk,
            "day": "2027-03-11",
            "start": "14:00",
            "seats": "37",
            "invigilators": [people["staff"].pk],
        },
    )

    session = CertificationSession.objects.get()
    assert response.status_code == 302
    assert session.starts_at == paris(2027, 3, 11, 14)
    assert list(session.invigilators.all()) == [people["staff"]]
    assert session.academic_year.name == "2026-2027"


def test_an_overlap_shows_on_the_form_and_saves_nothing(staff_client):
    session = SessionFactory(starts_at=paris(2027, 3, 11, 9))

    response = staff_client.post(
        reverse("certification:session_create"),
        {"room": session.room.pk, "day": "2027-03-11", "start": "10:00", "seats": "10"},
    )

    assert response.status_code == 200
    assert "La salle est déjà occupée" in response.content.decode()
    assert CertificationSession.objects.count() == 1


def test_staff_place_and_remove_a_candidate_by_student_number(staff_client):
    session = services.save_session(
        session=SessionFactory.build(academic_year=AcademicYearFactory(), room=RoomFactory())
    )
    student = StudentFactory(student_number="22100001", extra_time_percent=33)

    staff_client.post(
        reverse("certification:candidate_place", kwargs={"pk": session.pk}),
        {"student_number": "22100001"},
    )
    page = staff_client.get(reverse("certification:session", kwargs={"pk": session.pk}))

    candidate = Candidate.objects.get()
    assert candidate.student == student
    assert "11:35" in page.content.decode()
    staff_client.post(reverse("certification:candidate_remove", kwargs={"pk": candidate.pk}))
    assert not Candidate.objects.exists()


def test_staff_cannot_place_a_student_of_a_programme_they_do_not_follow(client, people):
    client.force_login(people["staff_other"])  # follows L2 Histoire only
    session = SessionFactory()
    StudentFactory(student_number="22100002", programme=people["student_a"].student.programme)

    response = client.post(
        reverse("certification:candidate_place", kwargs={"pk": session.pk}),
        {"student_number": "22100002"},
    )

    assert response.status_code == 200
    assert "Aucun·e étudiant·e de vos formations n&#x27;a le numéro 22100002." in (
        response.content.decode()
    )
    assert not Candidate.objects.exists()


def test_publish_from_the_session_page(staff_client):
    session = SessionFactory()

    staff_client.post(reverse("certification:session_publish", kwargs={"pk": session.pk}))

    session.refresh_from_db()
    assert session.status == "published"
