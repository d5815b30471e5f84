"""Querysets other pages and apps reuse: who holds the badge, who is missing it, what a
user may see."""

from collections.abc import Iterable

from django.db.models import Count, FilteredRelation, OuterRef, Q, QuerySet, Subquery

from pixoffice.accounts.models import Student
from pixoffice.accounts.queries import search_students
from pixoffice.accounts.rules import is_admin, is_office_staff, is_student
from pixoffice.core.joins import joined_columns, joined_instance

from .models import BadgeRequirement, BadgeSubmission, TrustedBadge
from .openbadges import TrustedEntry

HOLDING = [str(status) for status in BadgeSubmission.HOLDING]


def _pk(value) -> int:
    return getattr(value, "pk", value)


def badge_holders(requirement, student_ids: Iterable[int] | None = None) -> set[int]:
    """Ids of the students whose current submission for ``requirement`` (an instance
    or an id) is verified or accepted. One query."""
    submissions = BadgeSubmission.objects.filter(
        requirement_id=_pk(requirement), is_current=True, status__in=HOLDING
    )
    if student_ids is not None:
        submissions = submissions.filter(student_id__in=list(student_ids))
    return set(submissions.values_list("student_id", flat=True))


def current_submissions(requirement) -> QuerySet[BadgeSubmission]:
    return BadgeSubmission.objects.filter(requirement_id=_pk(requirement), is_current=True)


def students_missing_badge(requirement, students: QuerySet[Student]) -> QuerySet[Student]:
    """The students of ``students`` in the requirement's programmes whose current
    submission is not verified or accepted (none, to review, refused), annotated with
    ``badge_status``, ``badge_reason`` and ``badge_submission_id`` (``None`` when they
    uploaded nothing). One query; also the audience of reminders."""
    current = current_submissions(requirement).filter(student=OuterRef("pk"))
    return (
        students.filter(programme__badge_requirements=requirement)
        .exclude(
            pk__in=current_submissions(requirement).filter(status__in=HOLDING).values("student_id")
        )
        .annotate(
            badge_status=Subquery(current.values("status")[:1]),
            badge_reason=Subquery(current.values("reason")[:1]),
            badge_submission_id=Subquery(current.values("pk")[:1]),
        )
    )


def status_counts(requirement, students: QuerySet[Student]) -> dict[str, int]:
    """Number of ``students`` of the requirement's programmes per current status, plus
    ``none`` (nothing uploaded) and ``total``. One query."""
    current = current_submissions(requirement).filter(student=OuterRef("pk"))
    rows = (
        students.filter(programme__badge_requirements=requirement)
        .annotate(badge_status=Subquery(current.values("status")[:1]))
        .values("badge_status")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys([*BadgeSubmission.Status.values, "none"], 0)
    for row in rows:
        counts[row["badge_status"] or "none"] += row["n"]
    counts["total"] = sum(counts.values())
    return counts


def requirements_for(student: Student) -> QuerySet[BadgeRequirement]:
    """The badges the student's programme requires (of their academic year if known)."""
    requirements = BadgeRequirement.objects.filter(programmes=student.programme_id)
    if student.academic_year_id:
        requirements = requirements.filter(academic_year_id=student.academic_year_id)
    return requirements.select_related("academic_year", "semester").order_by("deadline")


def student_badges(student: Student) -> list[tuple[BadgeRequirement, BadgeSubmission | None]]:
    """Each badge the student must upload with their current submission (or ``None``),
    for home pages and calendars. One query (the submission is LEFT JOINed)."""
    requirements = requirements_for(student).annotate(
        current=FilteredRelation(
            "submissions",
            condition=Q(submissions__student=student.pk, submissions__is_current=True),
        ),
        **joined_columns(BadgeSubmission, "current", "sub_"),
    )
    return [(r, joined_instance(BadgeSubmission, r, "sub_")) for r in requirements]


def requirements_visible_to(user) -> QuerySet[BadgeRequirement]:
    requirements = BadgeRequirement.objects.select_related("academic_year", "semester")
    if is_admin(user):
        return requirements
    if is_office_staff(user):
        return requirements.filter(
            pk__in=BadgeRequirement.objects.filter(programmes__assignments__user=user).values("pk")
        )
    if is_student(user):
        return requirements.filter(pk__in=requirements_for(user.student).values("pk"))
    return requirements.none()


def submissions_visible_to(user) -> QuerySet[BadgeSubmission]:
    """All for admins, their programmes' students' for staff, their own for a student."""
    submissions = BadgeSubmission.objects.select_related(
        "student__programme", "requirement", "reviewed_by"
    )
    if is_admin(user):
        return submissions
    if is_office_staff(user):
        return submissions.filter(student__programme__assignments__user=user)
    if is_student(user):
        return submissions.filter(student__user=user)
    return submissions.none()


def review_queue(user, *, programme=None, status="review", requirement=None, q=""):
    """Current submissions staff may review, filtered; the oldest waiting first."""
    submissions = submissions_visible_to(user).filter(is_current=True)
    if programme is not None:
        submissions = submissions.filter(student__programme=programme)
    if status:
        submissions = submissions.filter(status=status)
    if requirement is not None:
        submissions = submissions.filter(requirement=requirement)
    if q.strip():
        submissions = submissions.filter(student__in=search_students(Student.objects.all(), q))
    return submissions.order_by("uploaded_at", "pk")


def history(student: Student, requirement) -> QuerySet[BadgeSubmission]:
    return BadgeSubmission.objects.filter(student=student, requirement_id=_pk(requirement))


def trusted_entries(requirement) -> list[TrustedEntry]:
    """The requirement's allow-list, as the Django-free checker takes it."""
    return [
        TrustedEntry(issuer_id=t.issuer_uri, badge_id=t.badge_class_uri)
        for t in TrustedBadge.objects.filter(requirements=requirement, is_active=True)
    ]


def student_emails(student: Student) -> list[str]:
    """The addresses a badge may be issued to: the roster's and the account's (as
    written; the comparison also tries them in lower case)."""
    emails = [student.email]
    if student.user_id:
        emails.append(student.user.email)
    return sorted({e.strip() for e in emails if e and e.strip()})
