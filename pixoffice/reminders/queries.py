"""Rules a staff member may see: those whose target they may see."""

from django.db.models import Q

from campaigns.queries import campaigns_visible_to
from certification.models import CertificationSession
from pixoffice.accounts.queries import students_visible_to
from pixoffice.badges.queries import requirements_visible_to
from pixoffice.events.queries import workshops_visible_to

from .models import ReminderRule


def sessions_for_reminders(user):
    """Published certification sessions with a candidate of the staff member's
    programmes: whom they may remind of their convocation."""
    return (
        CertificationSession.objects.filter(
            status=CertificationSession.Status.PUBLISHED,
            candidates__student__in=students_visible_to(user).values("pk"),
        )
        .select_related("room__site")
        .distinct()
    )


def rules_visible_to(user):
    with_candidates = CertificationSession.objects.filter(
        candidates__student__in=students_visible_to(user).values("pk")
    )
    return ReminderRule.objects.filter(
        Q(campaign__in=campaigns_visible_to(user))
        | Q(badge_requirement__in=requirements_visible_to(user))
        | Q(workshop__in=workshops_visible_to(user).values("pk"))
        | Q(certification_session__in=with_candidates.values("pk"))
    ).select_related(
        "campaign", "badge_requirement", "workshop", "certification_session__room__site"
    )
