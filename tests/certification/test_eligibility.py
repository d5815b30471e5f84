"""Eligibility to the certification, with the reason the student reads."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Participation, Share
from certification.eligibility import eligibility
from certification.models import CertificationResult
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def share(student, campaign, *, certifiable, count=5):
    participation = Participation.objects.create(
        campaign=campaign, identifier=student.student_number, student=student, last_name="X"
    )
    return Share.objects.create(
        participation=participation,
        shared_at=timezone.now(),
        certifiable=certifiable,
        certifiable_count=count,
        counts=True,
    )


@pytest.fixture
def student(people):
    return people["student_a"].student


@pytest.fixture
def campaigns(student):
    kwargs = {"academic_year": student.academic_year, "programmes": [student.programme]}
    return CampaignFactory(code="MJPECY231", **kwargs), CampaignFactory(code="MJPECY232", **kwargs)


def test_every_reason_is_given_until_the_profile_is_certifiable_and_shared(student, campaigns):
    first, second = campaigns
    share(student, first, certifiable=False, count=3)

    result = eligibility(student)

    assert result.eligible is False
    assert result.reasons == [
        "Campagnes à envoyer d'abord : MJPECY232.",
        "Votre profil n'est pas encore certifiable : il faut le niveau 1 au moins dans 5 "
        "compétences.",
    ]
    share(student, second, certifiable=True)
    assert eligibility(student).eligible is True


def test_a_certification_obtained_less_than_three_years_ago_is_still_valid(student, campaigns):
    for campaign in campaigns:
        share(student, campaign, certifiable=True)
    CertificationResult.objects.create(
        certification_number=12345,
        student=student,
        last_name=student.last_name,
        first_name=student.first_name,
        status=CertificationResult.Status.VALIDATED,
        taken_on=dt.date(2025, 3, 10),
    )

    now = eligibility(student, today=dt.date(2026, 12, 1))
    later = eligibility(student, today=dt.date(2028, 3, 11))

    assert now.reasons == [
        "Vous avez obtenu la certification le 10/03/2025 : elle est valable jusqu'au 10/03/2028."
    ]
    assert later.eligible is True


def test_the_student_page_says_why_not(client, people, student, campaigns):
    client.force_login(people["student_a"])

    page = client.get(reverse("certification:mine")).content.decode()

    assert 'data-eligible="no"' in page
    assert "Campagnes à envoyer d&#x27;abord : MJPECY231, MJPECY232." in page
