"""What a token may read: the rows of its programmes, as the site's querysets give them.

Each queryset scopes by a subquery on the token's programmes, so no request reads the
programmes first; an object outside them is simply not found (404).
"""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from campaigns.models import Campaign
from grading.models import Note
from pixoffice.accounts.models import Programme, Student
from pixoffice.accounts.queries import enrolled
from pixoffice.badges.models import BadgeRequirement
from pixoffice.badges.queries import HOLDING, current_submissions

from .models import ApiToken


def token_programmes(token: ApiToken) -> QuerySet[Programme]:
    return Programme.objects.filter(api_tokens=token)


def programmes_of(token: ApiToken) -> QuerySet[Programme]:
    """The token's programmes with their number of enrolled students."""
    return (
        token_programmes(token)
        .annotate(student_count=Count("students", filter=Q(students__left_on__isnull=True)))
        .order_by("name")
    )


def students_of(token: ApiToken) -> QuerySet[Student]:
    """Every roster student of the token's programmes (those who left too: ``left_on``)."""
    return (
        Student.objects.filter(programme__in=token_programmes(token).values("pk"))
        .select_related("programme", "academic_year")
        .order_by("last_name", "first_name", "student_number")
    )


def campaigns_of(token: ApiToken) -> QuerySet[Campaign]:
    """Campaigns concerning one of the token's programmes, with their competences."""
    return (
        Campaign.objects.filter(
            pk__in=Campaign.objects.filter(
                programmes__in=token_programmes(token).values("pk")
            ).values("pk")
        )
        .select_related("academic_year", "semester")
        .order_by("-academic_year__start", "deadline", "code")
    )


def campaign_roster(token: ApiToken, campaign: Campaign) -> QuerySet[Student]:
    """The students a campaign's follow-up lists, within the token's programmes: enrolled
    roster students of the campaign's programmes (as on the staff follow-up)."""
    return enrolled(
        students_of(token).filter(programme__in=campaign.programmes.values("pk"))
    ).select_related("programme")


def published_notes_of(token: ApiToken) -> QuerySet[Note]:
    """Published notes of the token's programmes' students: what the information system
    export gives (``grading.exports.published_notes``), over every scheme."""
    return (
        Note.objects.filter(
            published_at__isnull=False,
            student__programme__in=token_programmes(token).values("pk"),
        )
        .select_related(
            "student", "student__programme", "scheme", "scheme__academic_year", "scheme__semester"
        )
        .order_by(
            "-scheme__academic_year__start",
            "scheme__name",
            "scheme_id",
            "student__last_name",
            "student__first_name",
            "student__student_number",
        )
    )


def requirements_of(token: ApiToken) -> QuerySet[BadgeRequirement]:
    return (
        BadgeRequirement.objects.filter(
            pk__in=BadgeRequirement.objects.filter(
                programmes__in=token_programmes(token).values("pk")
            ).values("pk")
        )
        .select_related("academic_year", "semester")
        .order_by("-academic_year__start", "deadline", "pk")
    )


def badge_statuses(token: ApiToken, requirement: BadgeRequirement) -> QuerySet[Student]:
    """Enrolled students of the requirement's programmes within the token's, annotated with
    their current submission (``badge_status``, ``badge_uploaded_at``, ``badge_reviewed_at``;
    ``None``: nothing uploaded). Holding the badge is ``badges.queries.HOLDING``."""
    current = current_submissions(requirement).filter(student=OuterRef("pk"))
    return (
        enrolled(students_of(token))
        .filter(programme__in=requirement.programmes.values("pk"))
        .annotate(
            badge_status=Subquery(current.values("status")[:1]),
            badge_uploaded_at=Subquery(current.values("uploaded_at")[:1]),
            badge_reviewed_at=Subquery(current.values("reviewed_at")[:1]),
        )
    )


def holds(status: str | None) -> bool:
    return status in HOLDING
