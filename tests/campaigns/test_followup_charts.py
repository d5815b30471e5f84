"""The follow-up's charts tell what its counters tell (issue 15, point 8): one roster
(the programme and search filters, enrolled students only, no unmatched or ignored row)
for the counters, the curve of shares and the level table."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import charts, followup, queries
from pixoffice.accounts.queries import enrolled
from tests.factories import CampaignFactory, ParticipationFactory, ShareFactory
from tests.factories.accounts import StudentFactory
from tests.factories.followup import follow_up_world


@pytest.fixture
def sed(programmes):
    return programmes["L2 SED"]


@pytest.fixture
def geo(programmes):
    return programmes["L2 Géographie"]


@pytest.fixture
def campaign(sed, geo):
    campaign = CampaignFactory(programmes=[sed, geo])
    follow_up_world(campaign, sed, 30)  # 24 sent: i % 10 not in (0, 1)
    follow_up_world(campaign, geo, 20, prefix="8")  # 16 sent (and the 2 students of `people`)
    # rows that are no student of the roster: unmatched, ignored, one who left the course
    for _ in range(3):
        ShareFactory(participation=ParticipationFactory(campaign=campaign, student=None))
    ignored = ParticipationFactory(
        campaign=campaign, student=None, ignored_at=timezone.now(), ignored_reason="M1 MEEF"
    )
    ShareFactory(participation=ignored)
    gone = StudentFactory(programme=sed, left_on=dt.date(2026, 1, 10))
    ShareFactory(participation=ParticipationFactory(campaign=campaign, student=gone))
    return campaign


def _get(client, campaign, **params):
    return client.get(reverse("campaigns:detail", kwargs={"pk": campaign.pk}), params)


def _sent(counts):
    return counts[queries.SHARED] + counts[queries.SHARED_LATE]


@pytest.mark.parametrize(("programme", "sent", "total"), [("sed", 24, 30), (None, 40, 52)])
def test_the_curve_ends_where_the_counters_say(
    staff_client, campaign, request, programme, sent, total
):
    params = {"programme": request.getfixturevalue(programme).pk} if programme else {}

    page = _get(staff_client, campaign, **params)

    timeline, counts = page.context["timeline"], page.context["counts"]
    assert _sent(counts) == timeline.sent == sent
    assert page.context["total"] == timeline.total == total
    assert sum(n for _day, n, _cumulative in timeline.days) == sent
    assert timeline.days[-1][2] == sent
    html = page.content.decode()
    summary = re.search(r"data-chart-total>([^<]*)<", html).group(1)
    assert f"{sent} sur {total} étudiant·e·s" in summary
    assert f'data-count="shared">{counts[queries.SHARED]}<' in html


def test_the_curve_follows_the_search_too(staff_client, campaign):
    page = _get(staff_client, campaign, q="Nom000012")  # one student of each programme

    assert page.context["total"] == 2
    assert page.context["timeline"].sent == _sent(page.context["counts"]) == 2


def test_the_level_table_counts_the_same_senders(staff_client, campaign, sed):
    page = _get(staff_client, campaign, programme=sed.pk)

    counts = page.context["counts"]
    for _code, levels in page.context["distribution"]:
        assert sum(n for _level, n, _pct in levels) == _sent(counts)


def test_the_curve_is_scaled_to_the_roster_and_steps_through_the_days(campaign, sed, people):
    students = enrolled(queries.roster_of(campaign, people["staff"])).filter(programme=sed)
    points = followup.shares_over_time(campaign, students)

    chart = charts.timeline(campaign, points, 30)

    last_y = float(chart.points.split()[-1].split(",")[1])
    assert last_y == pytest.approx(chart.height * (1 - 24 / 30), abs=0.1)
    assert chart.points.startswith(f"0.0,{chart.height}.0 ")
    assert chart.deadline_x is not None


def test_the_chart_has_no_svg_text_and_every_table_scrolls_in_a_labelled_region(
    staff_client, campaign
):
    html = _get(staff_client, campaign).content.decode()

    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<text" not in svg  # numbers and dates are HTML: readable at any zoom
    assert 'role="img"' in svg and "<desc" in svg
    assert 'data-table="timeline"' in html  # the curve's data as a table
    tables = html.count("<table")
    regions = re.findall(
        r'<div class="table-scroll" tabindex="0" role="region" aria-label="[^"]+">', html
    )
    assert tables == len(regions) == 3  # the curve's data, the levels, the list


def test_no_share_no_curve(staff_client, sed):
    campaign = CampaignFactory(programmes=[sed])
    follow_up_world(campaign, sed, 1)  # i = 0: never joined

    page = _get(staff_client, campaign)

    assert page.context["timeline"] is None
    assert "Aucun envoi importé" in page.content.decode()
