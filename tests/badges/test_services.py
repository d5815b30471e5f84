import datetime as dt

import pytest
from django.utils import timezone

from pixoffice.badges import queries, services
from pixoffice.badges.demo import load_badges_demo
from pixoffice.badges.models import BadgeRequirement, BadgeSubmission, TrustedBadge
from tests.badges import bake
from tests.factories import AcademicYearFactory, ProgrammeFactory, StudentFactory
from tests.factories.badges import BadgeRequirementFactory, BadgeSubmissionFactory
from tests.storage import stored_files

pytestmark = pytest.mark.django_db

Status = BadgeSubmission.Status
A_EMAIL = "a@etu.univ-exemple.fr"


def submit(data, person, requirement, **options):
    return services.submit_badge(
        data,
        name="badge.png",
        student=person.student,
        requirement=requirement,
        by=person,
        **options,
    )


def stored_badge_files() -> list[str]:
    return stored_files("badges")


def test_own_baked_png_is_verified_automatically(people, requirement, badge_for):
    data = badge_for(A_EMAIL)

    submission = submit(data, people["student_a"], requirement)

    submission.refresh_from_db()
    assert submission.status == Status.VERIFIED
    assert submission.reason == ""
    assert submission.findings == []
    assert submission.is_current is True
    assert (submission.format, submission.spec_version) == ("png", "2.0")
    assert submission.issuer_uri == bake.ISSUER
    assert submission.badge_class_uri == bake.BADGE_CLASS
    assert submission.issued_on == dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    assert submission.assertion["badge"]["name"] == "IA — Fondamentaux"
    with submission.file.open("rb") as handle:
        assert handle.read() == data
    assert submission.file.name.startswith("badges/")


def test_same_badge_uploaded_by_another_student_goes_to_review(people, requirement, badge_for):
    data = badge_for(A_EMAIL)
    submit(data, people["student_a"], requirement)

    other = submit(data, people["student_b"], requirement)

    assert other.status == Status.REVIEW
    assert other.reason == (
        "Le destinataire du badge ne correspond pas aux adresses électroniques de l'étudiant·e."
    )
    assert queries.badge_holders(requirement) == {people["student_a"].student.pk}


def test_badge_issued_to_the_account_email_matches_too(people, requirement, badge_for):
    student = people["student_b"].student
    student.email = "roster.b@univ-exemple.fr"  # the roster differs from the login
    student.save()

    submission = submit(badge_for("b@etu.univ-exemple.fr"), people["student_b"], requirement)

    assert submission.status == Status.VERIFIED


def test_rejected_badge_can_be_uploaded_again(people, requirement, badge_for):
    first = submit(badge_for("autre@univ-exemple.fr"), people["student_a"], requirement)
    services.reject_submission(first, by=people["staff"], reason="Ce n'est pas votre badge.")

    second = submit(badge_for(A_EMAIL), people["student_a"], requirement)

    first.refresh_from_db()
    assert (first.status, first.reason, first.is_current) == (
        Status.REJECTED,
        "Ce n'est pas votre badge.",
        False,
    )
    assert (second.status, second.is_current) == (Status.VERIFIED, True)
    assert list(queries.history(people["student_a"].student, requirement)) == [second, first]


def test_badge_in_review_can_be_replaced_but_a_validated_one_cannot(people, requirement, badge_for):
    submit(badge_for("autre@univ-exemple.fr"), people["student_a"], requirement)
    submit(badge_for(A_EMAIL), people["student_a"], requirement)

    with pytest.raises(services.BadgeRefused) as error:
        submit(badge_for(A_EMAIL), people["student_a"], requirement)

    assert str(error.value) == "Votre badge est déjà validé : aucun nouveau dépôt n'est nécessaire."
    assert BadgeSubmission.objects.count() == 2


def test_upload_after_the_deadline_is_refused(people, requirement, badge_for):
    requirement.deadline = dt.datetime(
        2026, 12, 8, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    requirement.save()

    with pytest.raises(services.BadgeRefused) as error:
        submit(
            badge_for(A_EMAIL),
            people["student_a"],
            requirement,
            now=dt.datetime(2026, 12, 8, 23, 0, tzinfo=dt.UTC),  # 09/12 00:00 in Paris
        )

    assert str(error.value) == (
        "La date limite de dépôt (08/12/2026 23:59) est passée : le dépôt est fermé. "
        "Contactez l'équipe pédagogique de votre formation."
    )
    assert BadgeSubmission.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not an image", "Ce fichier n'est ni une image PNG ou SVG, ni un fichier JSON."),
        (bake.bake_png(bake.assertion(A_EMAIL))[:300], "Cette image PNG est incomplète"),
        (bake.plain_png(), "Cette image PNG ne contient pas de badge"),
        (bake.bomb_png(), "Cette image déclare des dimensions démesurées"),
    ],
)
def test_refused_file_writes_nothing_and_announces_nothing(
    people, requirement, data, message, announced, django_capture_on_commit_callbacks
):
    files_before = stored_badge_files()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(services.BadgeRefused) as error,
    ):
        submit(data, people["student_a"], requirement)

    assert str(error.value).startswith(message)
    assert BadgeSubmission.objects.count() == 0
    assert stored_badge_files() == files_before
    assert callbacks == []
    assert announced == []


def test_file_over_the_badge_size_limit_is_refused(people, requirement, settings):
    settings.BADGE_UPLOAD_MAX_BYTES = 1024

    with pytest.raises(services.BadgeRefused) as error:
        submit(b"{" + b" " * 2048 + b"}", people["student_a"], requirement)

    assert str(error.value) == "Le fichier fait 2 ko ; la taille maximale d'un badge est 1 ko."
    assert BadgeSubmission.objects.count() == 0


def test_status_change_is_announced_once_after_commit(
    people, requirement, badge_for, announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        submission = submit(badge_for(A_EMAIL), people["student_a"], requirement)
    assert announced == []  # not before the commit
    for callback in callbacks:
        callback()

    expected = {
        "sender": "BadgeSubmission",
        "student_id": people["student_a"].student.pk,
        "requirement_id": requirement.pk,
    }
    assert announced == [expected]

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_submission(submission, by=people["staff"], reason="Faux badge.")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_submission(submission, by=people["staff"], reason="Faux badge.")
    assert announced == [expected, expected]


def test_accept_sets_the_reviewer_and_twice_is_harmless(
    people, requirement, badge_for, announced, django_capture_on_commit_callbacks
):
    submission = submit(badge_for("autre@univ-exemple.fr"), people["student_a"], requirement)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.accept_submission(submission, by=people["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        second = services.accept_submission(submission, by=people["staff"])

    submission.refresh_from_db()
    assert (first, second) == (True, False)
    assert submission.status == Status.ACCEPTED
    assert submission.reason == ""
    assert submission.reviewed_by == people["staff"]
    assert submission.reviewed_at is not None
    assert len(announced) == 1
    assert queries.badge_holders(requirement) == {people["student_a"].student.pk}


def test_reject_needs_a_reason(people, requirement, badge_for):
    submission = submit(badge_for("autre@univ-exemple.fr"), people["student_a"], requirement)

    with pytest.raises(services.BadgeRefused) as error:
        services.reject_submission(submission, by=people["staff"], reason="   ")

    assert str(error.value) == "Indiquez la raison du refus : l'étudiant·e la verra."
    submission.refresh_from_db()
    assert submission.status == Status.REVIEW


def test_a_replaced_submission_cannot_be_reviewed(people, requirement, badge_for):
    old = submit(badge_for("autre@univ-exemple.fr"), people["student_a"], requirement)
    submit(badge_for("encore-autre@univ-exemple.fr"), people["student_a"], requirement)

    with pytest.raises(services.BadgeRefused) as error:
        services.accept_submission(old, by=people["staff"])

    assert str(error.value) == (
        "Ce dépôt a été remplacé par un dépôt plus récent : examinez le dernier."
    )


def test_badge_holders_reads_current_verified_and_accepted(
    people, requirement, django_assert_num_queries
):
    holders = [
        BadgeSubmissionFactory(requirement=requirement, status=Status.VERIFIED),
        BadgeSubmissionFactory(requirement=requirement, status=Status.ACCEPTED),
    ]
    BadgeSubmissionFactory(requirement=requirement, status=Status.REVIEW)
    BadgeSubmissionFactory(requirement=requirement, status=Status.REJECTED)
    replaced = BadgeSubmissionFactory(
        requirement=requirement, status=Status.VERIFIED, is_current=False
    )
    BadgeSubmissionFactory(
        student=replaced.student, requirement=requirement, status=Status.REJECTED
    )
    BadgeSubmissionFactory(status=Status.VERIFIED)  # another requirement

    with django_assert_num_queries(1):
        found = queries.badge_holders(requirement)

    assert found == {s.student_id for s in holders}
    assert queries.badge_holders(requirement.pk, [holders[0].student_id]) == {holders[0].student_id}
    assert queries.badge_holders(requirement, []) == set()


def test_students_missing_badge_and_counts(people, requirement, django_assert_num_queries):
    a, b = people["student_a"].student, people["student_b"].student
    c = StudentFactory(programme=a.programme)
    outsider = StudentFactory(programme=people["staff_other"].programmes.get())
    BadgeSubmissionFactory(student=a, requirement=requirement, status=Status.VERIFIED)
    BadgeSubmissionFactory(
        student=b, requirement=requirement, status=Status.REJECTED, reason="Flou."
    )
    from pixoffice.accounts.models import Student

    with django_assert_num_queries(1):
        missing = list(queries.students_missing_badge(requirement, Student.objects.all()))

    assert [
        (s.pk, s.badge_status, s.badge_reason) for s in sorted(missing, key=lambda s: s.pk)
    ] == [
        (b.pk, "rejected", "Flou."),
        (c.pk, None, None),
    ]
    assert outsider.pk not in {s.pk for s in missing}
    assert queries.status_counts(requirement, Student.objects.all()) == {
        "verified": 1,
        "review": 0,
        "accepted": 0,
        "rejected": 1,
        "none": 1,
        "total": 3,
    }


def test_requirements_for_a_student_are_those_of_their_programme_and_year(people, requirement):
    student = people["student_a"].student
    BadgeRequirementFactory(programmes=[people["staff_other"].programmes.get()])
    BadgeRequirementFactory(
        programmes=[student.programme],
        academic_year=AcademicYearFactory(
            name="2025-2026", start=dt.date(2025, 9, 1), end=dt.date(2026, 8, 31)
        ),
    )

    assert list(queries.requirements_for(student)) == [requirement]


def test_demo_is_idempotent(people):
    year = AcademicYearFactory()
    programmes = [ProgrammeFactory(name="L2 SED"), ProgrammeFactory(name="L2 Sociologie")]

    first = load_badges_demo(year, None, programmes)
    again = load_badges_demo(year, None, programmes)

    assert first == again
    assert BadgeRequirement.objects.count() == 1
    assert TrustedBadge.objects.count() == 1
    assert first.name == "Module IA — Open Badge"
    assert timezone.localtime(first.deadline).strftime("%d/%m/%Y %H:%M") == "08/12/2026 23:59"
    assert set(first.programmes.all()) == set(programmes)
    assert list(first.trusted_badges.values_list("issuer_uri", flat=True)) == [
        "https://mooc-ia.example.fr/issuer"
    ]


def test_student_badges_pairs_each_requirement_with_the_current_submission(
    people, requirement, django_assert_num_queries
):
    student = people["student_a"].student
    BadgeSubmissionFactory(student=student, requirement=requirement, is_current=False)
    current = BadgeSubmissionFactory(student=student, requirement=requirement)

    with django_assert_num_queries(1):
        found = queries.student_badges(student)

    assert found == [(requirement, current)]
    assert queries.student_badges(people["student_b"].student) == [(requirement, None)]


def test_demo_badge_baked_by_the_command_is_verified_for_its_student(people, tmp_path, command):
    geo = people["student_a"].student.programme
    requirement = load_badges_demo(people["student_a"].student.academic_year, None, [geo])
    requirement.deadline = timezone.now() + dt.timedelta(days=1)  # whatever the date today
    requirement.save()
    output = tmp_path / "badge.png"

    code, out, _err = command("bake_demo_badge", A_EMAIL, "-o", str(output))
    submission = submit(output.read_bytes(), people["student_a"], requirement)

    assert code == 0
    assert out.strip() == f"{output} : badge de démonstration délivré à {A_EMAIL}"
    assert submission.status == Status.VERIFIED
