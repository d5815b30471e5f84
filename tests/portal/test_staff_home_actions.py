"""Issue 15, point 7: the staff home shows what needs action first (unmatched rows,
badges to review, notes to republish, deadlines this week) within the staff member's
programmes, in a constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Participation
from grading.models import Scheme
from tests.factories import CampaignFactory, StudentFactory
from tests.factories.badges import BadgeRequirementFactory, BadgeSubmissionFactory
from tests.grading.published import add_note

pytestmark = pytest.mark.django_db


def needing_action(programme, n: int, tag: str):
    """``n`` of each: a campaign due this week with an unmatched row, a badge under
    review (and its requirement due this week), a scheme with a note to republish."""
    soon = timezone.now() + dt.timedelta(days=2)
    for i in range(n):
        campaign = CampaignFactory(
            name=f"{tag} campagne {i}", programmes=[programme], deadline=soon
        )
        Participation.objects.create(campaign=campaign, identifier=f"{tag}{i}", last_name="Inconnu")
        requirement = BadgeRequirementFactory(
            name=f"{tag} badge {i}", programmes=[programme], deadline=soon
        )
        student = StudentFactory(programme=programme)
        BadgeSubmissionFactory(student=student, requirement=requirement)
        scheme = Scheme.objects.create(
            name=f"{tag} modalité {i}", academic_year=student.academic_year
        )
        scheme.programmes.set([programme])
        note = add_note(scheme, student, 400)
        note.published_at, note.needs_republication = timezone.now(), True
        note.save()


@pytest.mark.parametrize("n", [1, 3])
def test_the_staff_home_lists_what_needs_action_in_constant_queries(
    client, people, programmes, n, django_assert_num_queries
):
    needing_action(programmes["L2 Géographie"], n, "Géo")
    needing_action(programmes["L2 SED"], 2, "Ailleurs")  # staff_other does not follow it
    client.force_login(people["staff_other"])  # follows L2 Histoire only
    assert "Géo campagne" not in client.get(reverse("portal:staff_home")).content.decode()
    client.force_login(people["staff"])

    # session, user, programmes, recent campaigns, schemes, and the five kinds of action
    with django_assert_num_queries(10):
        html = client.get(reverse("portal:staff_home")).content.decode()

    todo = html.split('id="todo"')[1].split("</section>")[0]
    total = n + 2
    assert f"{total} lignes Pix non rattachées" in todo or (total == 1 and "1 ligne Pix" in todo)
    for i in range(n):
        assert f"Géo campagne {i}</a>" in todo and f"Géo modalité {i}</a>" in todo
        assert f"Géo badge {i}</a>" in todo
    assert f"{total} badges à vérifier" in todo
    assert "?state=to_republish" in todo
    assert reverse("campaigns:unmatched", args=[Participation.objects.first().campaign_id]) in todo


def test_staff_of_another_programme_see_only_theirs(client, people, programmes):
    needing_action(programmes["L2 Géographie"], 1, "Géo")
    client.force_login(people["staff_other"])

    html = client.get(reverse("portal:staff_home")).content.decode()

    assert "Rien ne vous attend" in html
    assert "Géo" not in html
