"""What needs action first on the staff home, within the staff member's programmes
(everything for admins): one query per kind, whatever the data.

- unmatched rows: each campaign with participants that match nobody in the roster
  and that staff have not set aside (« ignorer »);
- badges waiting for a review (the queue's default filter);
- notes to republish: each scheme whose published notes of the staff member's
  students changed since their publication;
- deadlines this week: the campaigns and required badges due in the next 7 days.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from campaigns import queries as campaign_queries
from grading import queries as grading_queries
from pixoffice.accounts.rules import is_admin
from pixoffice.badges import queries as badge_queries

WEEK = timedelta(days=7)


@dataclass
class StaffActions:
    unmatched: list  # campaigns, each with ``unmatched_count``
    to_review: int
    to_republish: list  # schemes, each with ``to_republish``
    campaign_deadlines: list
    badge_deadlines: list

    @property
    def unmatched_total(self) -> int:
        return sum(c.unmatched_count for c in self.unmatched)

    @property
    def deadlines(self) -> list:
        """Campaigns and badges due this week, soonest first."""
        return sorted(
            [*self.campaign_deadlines, *self.badge_deadlines], key=lambda item: item.deadline
        )

    def __bool__(self) -> bool:
        return bool(self.unmatched or self.to_review or self.to_republish or self.deadlines)


def staff_actions(user) -> StaffActions:
    """Five queries."""
    now = timezone.now()
    campaigns = campaign_queries.campaigns_visible_to(user)
    unmatched = list(
        campaigns.annotate(
            unmatched_count=Count(
                "participations",
                filter=Q(
                    participations__student__isnull=True,
                    participations__ignored_at__isnull=True,  # set aside: handled
                ),
                distinct=True,
            )
        )
        .filter(unmatched_count__gt=0)
        .order_by("-unmatched_count", "deadline")
    )
    mine = Q() if is_admin(user) else Q(notes__student__programme__assignments__user=user)
    to_republish = list(
        grading_queries.schemes_visible_to(user)
        .annotate(
            to_republish=Count(
                "notes", filter=Q(notes__needs_republication=True) & mine, distinct=True
            )
        )
        .filter(to_republish__gt=0)
        .order_by("name")
    )
    return StaffActions(
        unmatched=unmatched,
        to_review=badge_queries.review_queue(user).count(),
        to_republish=to_republish,
        campaign_deadlines=list(
            campaigns.filter(deadline__gte=now, deadline__lt=now + WEEK).order_by("deadline")
        ),
        badge_deadlines=list(
            badge_queries.requirements_visible_to(user)
            .filter(deadline__gte=now, deadline__lt=now + WEEK)
            .order_by("deadline")
        ),
    )
