"""``campaigns.services.counting``: which share counts, by the campaign's rule, written
once for the import and for a recount."""

import datetime as dt

import pytest

from campaigns import services
from campaigns.models import Campaign, Participation, Share
from tests.campaigns.importing import run_import
from tests.factories import CampaignFactory, ParticipationFactory, ShareFactory
from tests.factories.campaigns import PARIS

pytestmark = pytest.mark.django_db


def test_counting_rules_pick_the_right_share(roster, campaign, sample):
    run_import(sample("profiles-collection-sup.csv"))
    two = Participation.objects.get(identifier="21093462")

    def counting():
        return [s.total_pix for s in two.shares.filter(counts=True)]

    assert counting() == [136]  # last before the deadline (31/05/2026)
    campaign.deadline = campaign.deadline.replace(year=2025, month=12, day=31)
    campaign.save()
    services.recompute_counting(campaign)
    assert counting() == [112]  # the March share is now late
    assert two.shares.get(total_pix=136).is_late is True
    campaign.counting_rule = Campaign.CountingRule.LAST
    campaign.save()
    services.recompute_counting(campaign)
    assert counting() == [136]
    campaign.counting_rule = Campaign.CountingRule.BEST
    campaign.save()
    services.recompute_counting(campaign)
    assert counting() == [136]


# --- the rule itself, on shares made by factories ------------------------------------------


def paris(month, day):
    return dt.datetime(2026, month, day, 10, 0, tzinfo=PARIS)


@pytest.fixture
def sendings(db):
    """One participant's three sendings; the campaign's deadline is 31/05/2026."""
    participation = ParticipationFactory(campaign=CampaignFactory())
    return {
        pix: ShareFactory(participation=participation, shared_at=at, total_pix=pix, counts=False)
        for pix, at in [(300, paris(1, 10)), (200, paris(3, 10)), (100, paris(7, 10))]
    }


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("last_before_deadline", 200), ("best", 300), ("last", 100)],
)
def test_recompute_counting_marks_the_share_of_the_rule_and_flags_the_late_one(
    sendings, rule, expected
):
    campaign = sendings[100].participation.campaign
    Share.objects.filter(pk=sendings[100].pk).update(is_late=False)  # as if the deadline moved
    Campaign.objects.filter(pk=campaign.pk).update(counting_rule=rule)

    services.recompute_counting(campaign)

    shares = Share.objects.filter(participation__campaign=campaign)
    assert list(shares.filter(counts=True).values_list("total_pix", flat=True)) == [expected]
    assert list(shares.filter(is_late=True).values_list("total_pix", flat=True)) == [100]


def test_a_rule_change_moves_the_mark_and_keeps_one_counting_share(sendings):
    campaign = sendings[100].participation.campaign
    services.recompute_counting(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(counting_rule=Campaign.CountingRule.BEST)

    services.recompute_counting(campaign)

    assert [s.total_pix for s in Share.objects.filter(counts=True)] == [300]


def test_only_late_sendings_count_nothing_under_the_default_rule():
    campaign = CampaignFactory.build(deadline=paris(5, 31))
    candidates = [("late", paris(6, 1), 500, None)]

    assert services.pick_counting(candidates, campaign) is None
    assert services.may_count(paris(5, 31), campaign) is True
    assert services.may_count(paris(6, 1), campaign) is False


def test_the_best_assessment_sending_is_the_best_mastery_rate_then_the_latest():
    campaign = CampaignFactory.build(
        kind=Campaign.Kind.ASSESSMENT, counting_rule=Campaign.CountingRule.BEST
    )
    candidates = [
        ("a", paris(1, 10), 900, 0.5),
        ("b", paris(2, 10), 100, 0.8),
        ("c", paris(3, 10), 50, 0.8),  # as good as b, later
        ("d", paris(4, 10), 800, None),  # no rate: never the best
    ]

    assert services.pick_counting(candidates, campaign)[0] == "c"
