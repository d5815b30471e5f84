"""The follow-up's list filtered, counted and cut in the counters' statement
(``campaigns/followup_state.py``, issue 15): the page is the one ``Paginator`` would
give, out-of-range pages as ``get_page`` reads them, every filtered student once."""

import pytest
from django.conf import settings
from django.urls import reverse

from campaigns import followup, queries
from tests.factories import CampaignFactory
from tests.factories.followup import follow_up_world


@pytest.fixture
def sed(programmes):
    return programmes["L2 SED"]


@pytest.fixture
def campaign(sed):
    campaign = CampaignFactory(programmes=[sed])
    follow_up_world(campaign, sed, 130)
    return campaign


def _get(client, campaign, **params):
    return client.get(reverse("campaigns:detail", kwargs={"pk": campaign.pk}), params)


@pytest.mark.parametrize(
    ("asked", "number", "rows"),
    [("99", 2, 41), ("0", 2, 41), ("x", 1, 50), ("", 1, 50), ("9" * 30, 2, 41)],
)
def test_a_page_out_of_range_is_read_as_paginator_get_page_reads_it(
    staff_client, campaign, asked, number, rows
):
    page = _get(staff_client, campaign, status="shared", page=asked)

    assert page.context["page"].number == number
    assert page.context["page"].paginator.count == 91
    assert len(page.context["rows"]) == rows


@pytest.mark.parametrize("status", ["", "not_joined", "started", "shared", "shared_late", "below"])
def test_the_pages_list_the_filtered_students_once_in_name_order(
    staff_client, campaign, people, status
):
    students = queries.roster_of(campaign, people["staff"])
    codes = list(campaign.competences.order_by("position").values_list("code", flat=True))
    expected = list(
        followup.filter_rows(campaign, students, codes, status=status)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", flat=True)
    )

    seen = []
    for number in (1, 2, 3):
        page = _get(staff_client, campaign, status=status, page=number)
        if page.context["page"].number != number:
            break
        seen += [row.student.pk for row in page.context["rows"]]

    assert seen == expected and expected


def test_the_listing_is_counted_as_the_filtered_rows_and_the_counters_as_the_roster(
    campaign, people
):
    students = queries.roster_of(campaign, people["staff"])
    codes = list(campaign.competences.order_by("position").values_list("code", flat=True))
    listing = followup.Listing(status="below", page="2", per_page=20)

    got = followup.counters(
        campaign, students, codes, settings.PIX_MAX_REACHABLE_LEVEL, listing=listing
    )
    plain = followup.counters(campaign, students, codes, settings.PIX_MAX_REACHABLE_LEVEL)
    below = followup.filter_rows(campaign, students, codes, status="below")

    assert got.listed == below.count() == got.below
    assert got.page_number == 2
    assert got.page_ids == list(
        below.order_by("last_name", "first_name", "pk").values_list("pk", flat=True)[20:40]
    )
    assert (got.total, got.counts, got.distribution) == (
        plain.total,
        plain.counts,
        plain.distribution,
    )


def test_the_levels_column_follows_the_framework_and_every_write(campaign):
    import importlib

    from django.db import connection

    from campaigns.followup_state import LEVEL_CODES
    from campaigns.framework import COMPETENCES
    from campaigns.models import Share

    migration = importlib.import_module("campaigns.migrations.0014_share_levels_column")
    assert LEVEL_CODES == migration.CODES == [code for code, _name in COMPETENCES]
    share = Share.objects.filter(participation__campaign=campaign).first()
    # written by the ORM (an import writes with COPY: the same column, computed by PostgreSQL)
    share.results = {"1.2": [4, 32], "5.2": [0.5, 3, 2], "3.1": ["x", 1], "2.1": None}
    share.save()

    def levels():
        with connection.cursor() as cursor:
            cursor.execute("SELECT levels FROM campaigns_share WHERE id = %s", [share.pk])
            return dict(zip(LEVEL_CODES, cursor.fetchone()[0], strict=True))

    saved = levels()
    Share.objects.filter(pk=share.pk).update(results={"4.3": [7, 56]})
    updated = levels()

    assert {code: v for code, v in saved.items() if v is not None} == {"1.2": 4.0, "5.2": 0.5}
    assert {code: v for code, v in updated.items() if v is not None} == {"4.3": 7.0}
