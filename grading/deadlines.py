"""Deadlines a scheme still waits for: publishing before them needs a confirmation.

A scheme reads campaigns and badge requirements; while one of them is still open,
students may share or upload after the notes are published. The publication page
names each open deadline and how many students of the programme have not sent yet.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from campaigns.models import Share
from pixoffice.accounts.models import Programme
from pixoffice.badges.models import BadgeSubmission
from pixoffice.badges.queries import current_submissions

from .models import Component, Scheme
from .services import scheme_components, students_in


@dataclass(frozen=True)
class OpenDeadline:
    label: str  # the component's label, e.g. « Campagne 2 »
    name: str  # the campaign's code or the badge requirement's name
    deadline: dt.datetime
    missing: int  # students of the programmes who have not shared / uploaded yet


def open_deadlines(
    scheme: Scheme,
    programmes: list[Programme],
    *,
    components: list[Component] | None = None,
    now: dt.datetime | None = None,
) -> list[OpenDeadline]:
    """The scheme's components whose deadline is still ahead, with the number of the
    programmes' students who have sent nothing for them yet (one query per open one)."""
    now = now or timezone.now()
    students = students_in(programmes, scheme.academic_year_id)
    found = []
    for component in scheme_components(scheme) if components is None else components:
        if component.kind == Component.Kind.CAMPAIGN and component.campaign.deadline > now:
            shared = Share.objects.filter(
                participation__campaign_id=component.campaign_id,
                participation__student_id=OuterRef("pk"),
            )
            missing = students.exclude(Exists(shared)).count()
            found.append(
                OpenDeadline(
                    component.label, component.campaign.code, component.campaign.deadline, missing
                )
            )
        elif component.kind == Component.Kind.BADGE and component.badge_requirement.deadline > now:
            requirement = component.badge_requirement
            holders = current_submissions(requirement).filter(status__in=BadgeSubmission.HOLDING)
            missing = students.exclude(pk__in=holders.values("student_id")).count()
            found.append(
                OpenDeadline(component.label, requirement.name, requirement.deadline, missing)
            )
    return found
