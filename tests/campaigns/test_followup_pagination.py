"""The campaign follow-up at scale (issue 15): a page of rows, counters and charts
over the whole filtered roster counted in SQL, the same number of queries for 10 and
1,000 students, the filters in the page links, the export with every filtered row."""

from collections import Counter

import pytest
from django.conf import settings
from django.urls import reverse

from campaigns import followup, queries
from campaigns.models import Campaign
from tests.factories import CampaignFactory
from tests.factories.followup import follow_up_world


@pytest.fixture
def sed(programmes):
    return programmes["L2 SED"]


@pytest.fixture
def campaign(sed):
    return CampaignFactory(programmes=[sed])


def _url(campaign, **params):
    from urllib.parse import urlencode

    base = reverse("campaigns:detail", kwargs={"pk": campaign.pk})
    return f"{base}?{urlencode(params)}" if params else base


@pytest.mark.parametrize("n", [10, 1000])
def test_the_first_page_costs_the_same_queries_for_10_and_1000_students(
    staff_client, campaign, sed, n, django_assert_num_queries
):
    follow_up_world(campaign, sed, n)

    # session, user, campaign, scope, codes, the counters (one query), page rows, their
    # participations, their shares, the curve, unmatched, programmes (form)
    with django_assert_num_queries(12):
        page = staff_client.get(_url(campaign))

    assert len(page.context["rows"]) == min(n, 50)
    assert page.context["page"].paginator.count == n
    assert page.context["total"] == n
    assert sum(page.context["counts"].values()) == n


@pytest.mark.parametrize("n", [10, 1000])
def test_a_filtered_page_costs_the_same_queries_for_10_and_1000_students(
    staff_client, campaign, sed, n, django_assert_num_queries
):
    follow_up_world(campaign, sed, n)

    # and the chosen programme; the filtered list is counted and cut by the counters' query
    with django_assert_num_queries(13):
        page = staff_client.get(_url(campaign, status="shared", programme=sed.pk))

    assert {r.status for r in page.context["rows"]} == {queries.SHARED}
    assert page.context["total"] == n  # the counters cover the roster, not the status


@pytest.mark.parametrize("n", [10, 1000])
def test_the_export_costs_the_same_queries_and_has_every_filtered_row(
    staff_client, campaign, sed, n, django_assert_num_queries
):
    follow_up_world(campaign, sed, n)
    url = reverse("campaigns:export", kwargs={"pk": campaign.pk, "fmt": "csv"})

    # the rows' students, participations and shares: three queries for any number
    with django_assert_num_queries(9):
        response = staff_client.get(url, {"status": "shared"})

    lines = response.content.decode("utf-8-sig").strip().split("\r\n")
    shared = sum(1 for i in range(n) if i % 10 not in (0, 1, 2))
    assert len(lines) == 1 + shared


def _python_counters(campaign, students):
    """What the page counted in Python before (one FollowUpRow per student)."""
    rows = queries.follow_up(campaign, students)
    counts = Counter(r.status for r in rows)
    return {
        "counts": {k: counts[k] for k in queries.STATUS_LABELS},
        "below": sum(1 for r in rows if r.below_target),
        "certifiable": sum(1 for r in rows if r.share and r.share.certifiable),
        "distribution": queries.level_distribution(rows, settings.PIX_MAX_REACHABLE_LEVEL),
        "rows": rows,
    }


def test_sql_counters_are_those_of_the_rows(campaign, sed, people):
    follow_up_world(campaign, sed, 137)
    students = queries.roster_of(campaign, people["staff"])
    codes = list(campaign.competences.order_by("position").values_list("code", flat=True))

    got = followup.counters(campaign, students, codes, settings.PIX_MAX_REACHABLE_LEVEL)
    expected = _python_counters(campaign, students)

    assert got.total == 137
    assert got.counts == expected["counts"]
    assert got.counts[queries.NOT_JOINED] == 14 and got.counts[queries.STARTED] == 14
    assert got.below == expected["below"] > 0
    assert got.certifiable == expected["certifiable"] > 0
    assert got.distribution == expected["distribution"]


@pytest.mark.parametrize("status", ["not_joined", "started", "shared", "shared_late", "below"])
def test_sql_status_filters_keep_the_rows_python_kept(campaign, sed, people, status):
    follow_up_world(campaign, sed, 60)
    students = queries.roster_of(campaign, people["staff"])
    codes = list(campaign.competences.order_by("position").values_list("code", flat=True))
    rows = _python_counters(campaign, students)["rows"]
    if status == "below":
        expected = {r.student.pk for r in rows if r.below_target}
    else:
        expected = {r.student.pk for r in rows if r.status == status}

    kept = followup.filter_rows(campaign, students, codes, status=status)

    assert set(kept.values_list("pk", flat=True)) == expected and expected


def test_page_links_keep_the_filters_and_the_second_page_has_the_rest(staff_client, campaign, sed):
    follow_up_world(campaign, sed, 130)

    first = staff_client.get(_url(campaign, status="shared", q="Nom"))
    html = first.content.decode()
    second = staff_client.get(_url(campaign, status="shared", q="Nom", page=2))

    assert "status=shared&amp;q=Nom&amp;page=2" in html
    assert "page=1&amp;page" not in html
    numbers = {r.student.pk for p in (first, second) for r in p.context["rows"]}
    assert len(numbers) == first.context["page"].paginator.count == 91
    assert "status=shared&amp;q=Nom" in html.split("Exporter cette liste en CSV")[0]


def test_staff_of_another_programme_gets_a_404_on_every_page(client, people, campaign, sed):
    follow_up_world(campaign, sed, 60)
    client.force_login(people["staff_other"])

    assert client.get(_url(campaign, page=2)).status_code == 404


def test_an_assessment_is_summed_in_sql_as_it_was_over_the_rows(programmes, people):
    from tests.campaigns.test_assessment_results import BADGES, _assessment_with_students

    campaign = _assessment_with_students(programmes["L2 SED"], 9)
    assert campaign.kind == Campaign.Kind.ASSESSMENT
    students = queries.roster_of(campaign, people["staff"])
    codes = list(campaign.competences.order_by("position").values_list("code", flat=True))

    got = followup.counters(campaign, students, codes, settings.PIX_MAX_REACHABLE_LEVEL)
    expected = queries.assessment_summary(campaign, queries.follow_up(campaign, students))

    assert got.assessment == expected
    assert got.assessment.badges[0][:3] == (BADGES[0], 9, 0)
    filtered = followup.filter_rows(campaign, students, codes, stage=2, badge=(BADGES[1], False))
    assert filtered.count() == 2  # stages 0,1,2,3,0,1,2,3,0
