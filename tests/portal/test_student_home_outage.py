"""During a Redis outage every process caches in its own memory, where another web
process's or a worker's « forget » never arrives: the student home is then read fresh
each time, so a student never reads an old page from one machine after a change made
on another."""

import pytest

from campaigns.models import Campaign
from pixoffice.portal.student_home import student_home
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_with_redis_down_a_change_made_elsewhere_shows_at_once(redis_down, people):
    student = people["student_a"]
    campaign = CampaignFactory(programmes=[student.student.programme], name="Campagne d'automne")
    assert "Campagne d&#x27;automne" in student_home(student)["content"]

    # changed by another process: no signal, no forget_student_homes in this one
    Campaign.objects.filter(pk=campaign.pk).update(name="Campagne d'hiver")

    content = student_home(student)["content"]
    assert "Campagne d&#x27;hiver" in content
    assert "automne" not in content
