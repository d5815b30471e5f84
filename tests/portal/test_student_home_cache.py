"""Publication day: the student home reads a constant number of queries whatever the
data, and what it caches is forgotten by imports, publications and badge reviews."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Participation, Share
from grading import services as grading_services
from pixoffice.badges import services as badge_services
from tests.factories import CampaignFactory, StudentFactory
from tests.factories.badges import BadgeRequirementFactory, BadgeSubmissionFactory
from tests.grading.published import add_note, build

pytestmark = pytest.mark.django_db
HOME = "portal:student_home"


def world(people, programmes, campaigns: int):
    """Student A of L2 Géographie with ``campaigns`` campaigns (the first joined and
    sent twice), as many published notes, and a badge under review."""
    built = build(people, programmes)
    geo, student = built["programme"], people["student_a"].student
    for i in range(campaigns):
        campaign = CampaignFactory(
            programmes=[geo], deadline=timezone.now() + dt.timedelta(days=i + 3)
        )
        if i == 0:
            participation = Participation.objects.create(
                campaign=campaign,
                student=student,
                identifier=student.student_number,
                last_name=student.last_name,
                first_name=student.first_name,
            )
            for day, counts in [(1, False), (2, True)]:
                Share.objects.create(
                    participation=participation,
                    shared_at=timezone.now() - dt.timedelta(days=day),
                    total_pix=300 + day,
                    results={"1.1": [3, 24]},
                    counts=counts,
                )
    scheme = built["scheme"]
    for i in range(campaigns - 1):  # one note is published by build()
        other = type(scheme).objects.create(
            name=f"Pix L2 n°{i + 2}", academic_year=scheme.academic_year
        )
        other.programmes.set([geo])
        add_note(other, student, 400 + i)
        grading_services.publish_notes(other, geo, by=people["staff"])
    requirement = BadgeRequirementFactory(programmes=[geo], academic_year=student.academic_year)
    BadgeSubmissionFactory(student=student, requirement=requirement)
    return built


@pytest.mark.parametrize("campaigns", [1, 3])
def test_the_student_home_reads_six_queries_then_one_whatever_the_data(
    client, people, programmes, campaigns, django_assert_num_queries
):
    world(people, programmes, campaigns)
    client.force_login(people["student_a"])

    # session, user, student with shares, notes, campaigns with competences, badges
    with django_assert_num_queries(6):
        first = client.get(reverse(HOME))
    with django_assert_num_queries(1):  # the session (Redis in production): the rest is cached
        second = client.get(reverse(HOME))

    html = first.content.decode()
    assert html.count('class="card campaign"') == campaigns
    assert html.count("<strong>Pix L2") == campaigns
    assert "envoi retenu du" in html and "302 pix" in html  # the share that counts
    assert "À vérifier" in html or "vérifier" in html  # the badge under review
    assert second.content.decode().count('class="card campaign"') == campaigns


def test_the_student_sees_a_new_note_right_after_its_publication(
    client, people, programmes, django_capture_on_commit_callbacks
):
    built = build(people, programmes)  # student B's note is computed, not published
    client.force_login(people["student_b"])
    assert "14,5/20" not in client.get(reverse(HOME)).content.decode()  # now cached
    assert "12,5/20" not in client.get(reverse(HOME)).content.decode()
    staff = client.__class__()
    staff.force_login(people["staff"])

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("grading:publish", args=[built["scheme"].pk]),
            {"programme": built["programme"].pk, "before_deadline": "on"},
        )

    assert "12,5/20" in client.get(reverse(HOME)).content.decode()


def test_a_pix_import_shows_at_once(
    client, people, programmes, data_dir, django_capture_on_commit_callbacks
):
    from campaigns import services as campaign_services

    student = people["student_a"].student
    student.student_number = "22143366"  # a participant of the sample export (sent)
    student.save()
    CampaignFactory(code="URRTVG494", programmes=[student.programme])
    client.force_login(people["student_a"])
    assert "Pas encore rejoint" in client.get(reverse(HOME)).content.decode()

    data = (data_dir / "profiles-collection-sup.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        plan = campaign_services.plan_result_import(data, campaign=None, by=None)
        batch = campaign_services.store_result_file(
            data, name="e.csv", by=None, campaign=plan.campaign, summary=plan.summary()
        )
        campaign_services.apply_result_import(batch.pk)

    html = client.get(reverse(HOME)).content.decode()
    assert Participation.objects.filter(student=student).exists()
    assert "Pas encore rejoint" not in html and "250 pix" in html


def test_a_badge_review_shows_at_once(
    client, people, programmes, django_capture_on_commit_callbacks
):
    student = people["student_a"].student
    requirement = BadgeRequirementFactory(
        programmes=[student.programme], academic_year=student.academic_year
    )
    submission = BadgeSubmissionFactory(student=student, requirement=requirement)
    client.force_login(people["student_a"])
    before = client.get(reverse(HOME)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        badge_services.accept_submission(submission, by=people["staff"])

    after = client.get(reverse(HOME)).content.decode()
    assert "badge-status-review" in before
    assert "badge-status-accepted" in after


def test_a_roster_import_shows_at_once(
    client, people, programmes, django_capture_on_commit_callbacks
):
    from pixoffice.accounts import services as accounts_services

    student = people["student_a"].student
    client.force_login(people["student_a"])
    assert "TD 9" not in client.get(reverse(HOME)).content.decode()
    roster = (
        "Numéro étudiant;Nom;Prénom;Courriel;Formation;Groupe\r\n"
        f"{student.student_number};{student.last_name};{student.first_name};{student.email};"
        f"{student.programme.name};TD 9\r\n"
    ).encode()

    with django_capture_on_commit_callbacks(execute=True):
        plan = accounts_services.plan_roster_import(roster, by=None)
        batch = accounts_services.store_roster_file(
            roster, name="r.csv", by=None, mapping=plan.mapping, academic_year=None
        )
        accounts_services.apply_roster_import(batch.pk)

    assert "TD 9" in client.get(reverse(HOME)).content.decode()


def test_a_cached_page_never_outlives_a_commit_of_another_request(
    db, django_capture_on_commit_callbacks
):
    """A page read while a transaction writes is cached under the generation it read;
    the commit starts a new one, so it is never served afterwards."""
    from pixoffice.portal import student_home

    before = student_home._generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        student = StudentFactory()
        student.save()
        during = student_home._generation()
    assert before < during < student_home._generation()
    assert "forget_student_homes" in [c.__name__ for c in callbacks]


def test_a_staff_member_or_an_admin_has_no_student_home(client, people):
    for who in ["staff", "admin"]:
        client.force_login(people[who])
        assert client.get(reverse(HOME)).status_code == 403
