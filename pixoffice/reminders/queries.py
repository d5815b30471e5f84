"""Rules a staff member may see: those whose target they may see."""

from django.db.models import Q

from campaigns.queries import campaigns_visible_to
from pixoffice.badges.queries import requirements_visible_to
from pixoffice.events.queries import workshops_visible_to

from .models import ReminderRule


def rules_visible_to(user):
    return ReminderRule.objects.filter(
        Q(campaign__in=campaigns_visible_to(user))
        | Q(badge_requirement__in=requirements_visible_to(user))
        | Q(workshop__in=workshops_visible_to(user).values("pk"))
    ).select_related("campaign", "badge_requirement", "workshop")
