"""The AI-module badge: the requirements of the token's programmes and who holds it
(the current submission verified or accepted: ``badges.queries.HOLDING``)."""

from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from pixoffice.api import queries
from pixoffice.api.pagination import PageQuery, paginate
from pixoffice.api.schemas import BadgeRequirementOut, BadgeStatusOut, Page, StudentBadgeOut
from pixoffice.badges.queries import student_badges

from .people import student_of

router = Router(tags=["badges"])


def token_programmes(token):
    return Prefetch(
        "programmes", queryset=queries.token_programmes(token), to_attr="token_programmes"
    )


def requirement_out(requirement) -> dict:
    return {
        "id": requirement.pk,
        "name": requirement.name,
        "academic_year": requirement.academic_year.name,
        "semester": requirement.semester.number if requirement.semester_id else None,
        "deadline": requirement.deadline,
        "programmes": [p.name for p in requirement.token_programmes],
    }


@router.get("/badges", response=Page[BadgeRequirementOut], url_name="badges")
def list_requirements(request, page: Query[PageQuery]):
    """Les badges exigés d'une formation du jeton."""
    requirements = queries.requirements_of(request.auth).prefetch_related(
        token_programmes(request.auth)
    )
    items, envelope = paginate(requirements, page)
    return {**envelope, "items": [requirement_out(r) for r in items]}


def status_out(student) -> dict:
    return {
        "student_number": student.student_number,
        "last_name": student.last_name,
        "first_name": student.first_name,
        "programme": student.programme.name,
        "status": student.badge_status or "none",
        "holds_badge": queries.holds(student.badge_status),
        "uploaded_at": student.badge_uploaded_at,
        "reviewed_at": student.badge_reviewed_at,
    }


@router.get("/badges/{pk}/students", response=Page[BadgeStatusOut], url_name="badge_students")
def list_badge_statuses(request, pk: int, page: Query[PageQuery]):
    """Pour un badge exigé, l'état du dépôt en cours de chaque étudiant inscrit des
    formations du jeton concernées (none : rien déposé)."""
    requirement = get_object_or_404(queries.requirements_of(request.auth), pk=pk)
    items, envelope = paginate(queries.badge_statuses(request.auth, requirement), page)
    return {**envelope, "items": [status_out(s) for s in items]}


@router.get(
    "/students/{student_number}/badges", response=list[StudentBadgeOut], url_name="student_badges"
)
def list_student_badges(request, student_number: str):
    """Les badges exigés de l'étudiant et l'état de son dépôt en cours."""
    student = student_of(request, student_number)
    pairs = student_badges(student)
    prefetch_related_objects([r for r, _s in pairs], token_programmes(request.auth))
    return [
        {
            "requirement": requirement_out(requirement),
            "status": submission.status if submission else "none",
            "holds_badge": queries.holds(submission.status if submission else None),
            "uploaded_at": submission.uploaded_at if submission else None,
        }
        for requirement, submission in pairs
    ]
