"""The allocation pages, POSTed per role: staff allocate only their programmes."""

from html import unescape

import pytest
from django.urls import reverse

from certification.models import AllocationRun, Candidate
from pixoffice.mail.models import Message
from tests.certification.test_allocation import make_eligible
from tests.factories import StudentFactory
from tests.factories.certification import CandidateFactory, SessionFactory, paris
from tests.factories.rooms import RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(people, programmes):
    geo = programmes["L2 Géographie"]
    session = SessionFactory(room=RoomFactory(seats=30), seats=2)
    later = SessionFactory(room=session.room, starts_at=paris(2027, 3, 11, 14), seats=2)
    students = [StudentFactory(programme=geo, group="TD1") for _ in range(3)]
    students.append(StudentFactory(programme=geo, group="TD2", extra_time_percent=33))
    make_eligible(students)
    return {"geo": geo, "sessions": [session, later], "students": students}


def form(setting, programme=None):
    return {
        "programmes": [(programme or setting["geo"]).pk],
        "sessions": [s.pk for s in setting["sessions"]],
        "solver": "flow",
    }


def test_the_session_list_links_to_the_allocation(staff_client):
    page = staff_client.get(reverse("certification:session_list")).content.decode()

    assert reverse("certification:allocation_new") in page


def test_staff_see_only_their_programmes_in_the_form(client, people, setting):
    client.force_login(people["staff_other"])

    response = client.get(reverse("certification:allocation_new"))

    assert [p.name for p in response.context["form"].fields["programmes"].queryset] == [
        "L2 Histoire"
    ]


def test_staff_propose_review_then_apply(staff_client, setting, django_assert_num_queries):
    response = staff_client.post(reverse("certification:allocation_new"), form(setting))

    run = AllocationRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certification:allocation_detail", args=[run.pk])
    assert Candidate.objects.count() == 0  # a proposal places nobody

    # session, run, assignments, reason counts, programmes (the user cached by the POST)
    with django_assert_num_queries(5):
        page = staff_client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "Appliquer cette proposition" in text
    assert len(page.context["by_session"]) == 2
    assert sum(len(rows) for _s, rows in page.context["by_session"]) == 4

    applied = staff_client.post(reverse("certification:allocation_apply", args=[run.pk]))

    assert applied.status_code == 302
    assert Candidate.objects.count() == 4
    assert Message.objects.filter(kind="certification_allocated").count() == 4
    page = staff_client.get(applied["Location"]).content.decode()
    assert "Allocation appliquée (version 1) : 4 étudiant·e·s placé·e·s." in page
    again = staff_client.post(reverse("certification:allocation_apply", args=[run.pk]), follow=True)
    assert "Cette proposition a déjà été appliquée." in unescape(again.content.decode())
    assert Candidate.objects.count() == 4


def test_who_could_not_be_placed_and_why(staff_client, setting):
    # one seat left per session: two of the four eligible students have none
    for session in setting["sessions"]:
        CandidateFactory(session=session)
    late = StudentFactory(programme=setting["geo"])  # not eligible: shared nothing

    staff_client.post(reverse("certification:allocation_new"), form(setting))
    run = AllocationRun.objects.get()
    page = staff_client.get(reverse("certification:allocation_detail", args=[run.pk]))

    text = unescape(page.content.decode())
    reasons = dict(run.assignments.values_list("student_id", "reason"))
    assert reasons[late.pk] == "ineligible"
    assert (
        "Non éligible : campagnes non envoyées : ALLOC0001 ; profil pas encore certifiable" in text
    )
    assert "Plus de place dans les sessions possibles" in text
    assert sorted(reasons[s.pk] for s in setting["students"]) == ["", "", "no_seat", "no_seat"]


def test_staff_of_another_programme_cannot_allocate_its_students(client, people, setting):
    client.force_login(people["staff_other"])

    response = client.post(reverse("certification:allocation_new"), form(setting))

    assert response.status_code == 200
    assert "programmes" in response.context["form"].errors
    assert not AllocationRun.objects.exists()


def test_staff_of_another_programme_get_404_on_its_proposal(client, people, setting):
    client.force_login(people["staff"])
    client.post(reverse("certification:allocation_new"), form(setting))
    run = AllocationRun.objects.get()
    client.force_login(people["staff_other"])

    detail = client.get(reverse("certification:allocation_detail", args=[run.pk]))
    apply = client.post(reverse("certification:allocation_apply", args=[run.pk]))

    assert detail.status_code == 404
    assert apply.status_code == 404
    assert Candidate.objects.count() == 0
    assert AllocationRun.objects.get().status == "proposed"


def test_students_may_not_allocate(client, people, setting):
    client.force_login(people["student_a"])

    assert client.post(reverse("certification:allocation_new"), form(setting)).status_code == 403
    assert not AllocationRun.objects.exists()


def test_a_stale_proposal_says_so_and_writes_nothing(staff_client, setting):
    staff_client.post(reverse("certification:allocation_new"), form(setting))
    run = AllocationRun.objects.get()
    CandidateFactory(session=setting["sessions"][0])  # someone enrolled meanwhile

    response = staff_client.post(
        reverse("certification:allocation_apply", args=[run.pk]), follow=True
    )

    assert "Cette proposition n'est plus à jour" in unescape(response.content.decode())
    assert Candidate.objects.count() == 1
    assert not Message.objects.exists()
