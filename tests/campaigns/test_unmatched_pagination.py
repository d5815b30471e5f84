"""Issue 15: the unmatched queue is paginated (50 rows a page), its page links keep
the view (ignored rows) and the search, an action brings staff back to their page, and
a page costs the same queries whatever the queue's length."""

import re

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Participation
from campaigns.views.unmatched import QUEUE_PAGE_SIZE
from tests.factories import CampaignFactory, ShareFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def geo(programmes):
    return programmes["L2 Géographie"]


@pytest.fixture
def campaign(geo):
    return CampaignFactory(code="GEO2026", programmes=[geo])


def _rows(campaign, n, **kwargs):
    rows = Participation.objects.bulk_create(
        [
            Participation(
                campaign=campaign,
                identifier=f"E{i:05d}",
                last_name=f"Inconnu{i:05d}",
                first_name="Zoé",
                **kwargs,
            )
            for i in range(n)
        ]
    )
    for row in rows[:3]:
        ShareFactory(participation=row)
    return rows


def _url(campaign, **params):
    from urllib.parse import urlencode

    base = reverse("campaigns:unmatched", args=[campaign.pk])
    return f"{base}?{urlencode(params)}" if params else base


def test_the_queue_shows_fifty_rows_a_page(staff_client, campaign):
    _rows(campaign, 120)

    first = staff_client.get(_url(campaign))
    last = staff_client.get(_url(campaign, page=3))

    assert len(first.context["items"]) == QUEUE_PAGE_SIZE == 50
    assert len(last.context["items"]) == 20
    assert first.context["page"].paginator.count == 120
    html = first.content.decode()
    assert "Lignes à traiter (120)" in html
    assert 'href="?&amp;page=2"' in html or 'href="?page=2"' in html
    shown = {
        i["participation"].pk
        for p in (1, 2, 3)
        for i in staff_client.get(_url(campaign, page=p)).context["items"]
    }
    assert len(shown) == 120


def test_page_links_keep_the_ignored_view_and_the_search(staff_client, campaign, people):
    rows = _rows(campaign, 60)
    for row in rows:
        services.ignore_participation(row, reason="M1 MEEF", by=people["staff"])

    page = staff_client.get(_url(campaign, ignorees=1, ligne=rows[0].pk, q="durand"))

    html = page.content.decode()
    assert len(page.context["items"]) == 50
    links = re.findall(r'<a href="\?([^"]*page=2)"', html)
    assert links and "ignorees=1" in links[0] and "q=durand" in links[0]
    assert f"ligne={rows[0].pk}" in links[0]


def test_an_action_on_page_two_comes_back_to_page_two(staff_client, campaign, geo):
    rows = _rows(campaign, 70)
    student = StudentFactory(programme=geo, student_number="21900099")
    row = sorted(rows, key=lambda r: r.last_name)[60]

    linked = staff_client.post(
        _url(campaign, page=2),
        {"participation": row.pk, "student_number": student.student_number, "page": "2"},
    )
    ignored = staff_client.post(
        reverse("campaigns:unmatched_ignore", args=[campaign.pk, rows[65].pk]),
        {"reason": "DUT GEA", "page": "2"},
    )

    assert linked.status_code == ignored.status_code == 302
    assert linked["Location"] == ignored["Location"] == _url(campaign, page=2)
    assert Participation.objects.get(pk=row.pk).student == student
    page = staff_client.get(linked["Location"])
    assert 'name="page" value="2"' in page.content.decode()


@pytest.mark.parametrize("ignored", [False, True])
@pytest.mark.parametrize("n", [3, 120])
def test_a_page_costs_the_same_queries_for_3_and_120_rows(
    staff_client, campaign, people, n, ignored, django_assert_num_queries
):
    kwargs = {"ignored_reason": "M1", "ignored_by": people["staff"]} if ignored else {}
    if ignored:
        from django.utils import timezone

        kwargs["ignored_at"] = timezone.now()
    _rows(campaign, n, **kwargs)
    params = {"ignorees": 1} if ignored else {}

    # session, user, campaign, the page's count and rows (with their share counts),
    # name and zero proposals, the other view's count
    with django_assert_num_queries(8):
        page = staff_client.get(_url(campaign, **params))

    assert len(page.context["items"]) == min(n, 50)
