"""The roster import history, paginated (issue 15: « paginate every staff list »): 50
imports a page, newest first, every import reachable (no cut at 200), the same queries
for few and many imports."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pixoffice.accounts.models import RosterImport

pytestmark = pytest.mark.django_db


def _imports(user, n):
    start = timezone.now()
    RosterImport.objects.bulk_create(
        RosterImport(
            original_name=f"liste-{i:03d}.csv",
            sha256="0" * 64,
            uploaded_by=user,
            uploaded_at=start - dt.timedelta(minutes=i),
            file=f"rosters/liste-{i:03d}.csv",
            status=RosterImport.Status.APPLIED,
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", [3, 260])
def test_a_page_of_the_history_costs_the_same_queries(
    staff_client, people, n, django_assert_num_queries
):
    _imports(people["staff"], n)
    url = reverse("accounts:roster_import_list")

    # session, user, the colleagues' imports counted, then the page with their uploader
    with django_assert_num_queries(4):
        page = staff_client.get(url)

    assert len(page.context["imports"]) == min(n, 50)
    assert page.context["page"].paginator.count == n


def test_every_import_is_on_a_page_newest_first(staff_client, people):
    _imports(people["staff"], 260)
    url = reverse("accounts:roster_import_list")

    first = staff_client.get(url)
    last = staff_client.get(url, {"page": 6})

    assert first.context["imports"][0].original_name == "liste-000.csv"
    assert "page=2" in first.content.decode()
    assert [i.original_name for i in last.context["imports"]] == [
        f"liste-{i:03d}.csv" for i in range(250, 260)
    ]
