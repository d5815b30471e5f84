"""Eligible students and open sessions for the enrolment tests."""

import datetime as dt

from django.utils import timezone

from campaigns.models import Campaign, Participation, Share
from certification.models import CertificationSession
from tests.factories import CampaignFactory
from tests.factories.certification import SessionFactory


def make_eligible(*students):
    """One profiles campaign per (programme, year), each student's certifiable share
    of it counting: eligible (bulk, so hundreds cost a few queries)."""
    campaigns = {}
    for student in students:
        key = (student.programme_id, student.academic_year_id)
        if key not in campaigns:
            campaigns[key] = Campaign.objects.filter(
                programmes=student.programme_id,
                academic_year_id=student.academic_year_id,
                kind=Campaign.Kind.PROFILES_COLLECTION,
            ).first() or CampaignFactory(
                academic_year=student.academic_year, programmes=[student.programme]
            )
    participations = Participation.objects.bulk_create(
        Participation(
            campaign=campaigns[(s.programme_id, s.academic_year_id)],
            identifier=s.student_number,
            student=s,
            last_name=s.last_name,
        )
        for s in students
    )
    Share.objects.bulk_create(
        Share(
            participation=p,
            shared_at=timezone.now(),
            certifiable=True,
            certifiable_count=5,
            counts=True,
        )
        for p in participations
    )


def open_session(*, days=10, hour=9, status="published", **fields) -> CertificationSession:
    """A published session ``days`` from today at ``hour`` (Paris), so its enrolment
    is open whatever today is."""
    day = timezone.localdate() + dt.timedelta(days=days)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return SessionFactory(starts_at=start, status=status, **fields)
