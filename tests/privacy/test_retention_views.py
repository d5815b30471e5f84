"""The statistics page (staff: their programmes; admins: all) and the retention page
(admins), with a constant number of queries."""

import pytest
from django.urls import reverse

from pixoffice.privacy import retention, year_statistics
from tests.privacy.conftest import fill_year, year

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [1, 3])
def test_live_counts_take_six_queries_whatever_the_size(
    programmes, size, django_assert_num_queries
):
    fill_year(year("2019-2020"), programmes["L2 Géographie"], students=size, tag="s")
    with django_assert_num_queries(6):
        counts = year_statistics.live_counts()
    line = next(c for (y, p), c in counts.items() if p == programmes["L2 Géographie"].pk)
    assert (line.students, line.participants, line.shares, line.certified) == (
        size,
        size,
        size,
        size,
    )
    assert line.notes_validated == size and line.badges_validated == size
    assert line.distribution() == [(12, size)]


@pytest.mark.parametrize("size", [1, 3])
def test_the_statistics_page_queries(programmes, people, client, size, django_assert_num_queries):
    fill_year(year("2019-2020"), programmes["L2 Géographie"], students=size, tag="s")
    client.force_login(people["staff"])
    # session, user, 6 live counts, stored counts, programmes, years
    with django_assert_num_queries(11):
        response = client.get(reverse("privacy:statistics"))
    assert response.status_code == 200
    assert "2019-2020" in response.content.decode()


def test_the_statistics_page_after_a_purge(retention_world, people, client):
    client.force_login(people["admin"])
    before = client.get(reverse("privacy:statistics")).context["blocks"]
    retention.apply_purge()
    after = client.get(reverse("privacy:statistics"))
    assert [(b.year.name, vars(b.total)) for b in after.context["blocks"]] == [
        (b.year.name, vars(b.total)) for b in before
    ]
    assert "données personnelles purgées" in after.content.decode()


def test_staff_see_only_the_programmes_they_follow(retention_world, people, client):
    client.force_login(people["staff_other"])  # L2 Histoire: the 2021-2022 students
    blocks = client.get(reverse("privacy:statistics")).context["blocks"]
    assert [b.year.name for b in blocks] == ["2021-2022"]
    assert [str(line.programme) for line in blocks[0].lines] == ["L2 Histoire"]


def test_the_retention_page_says_what_the_next_purge_removes(retention_world, people, client):
    client.force_login(people["admin"])
    response = client.get(reverse("privacy:retention"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "5 ans" in page and "2019-2020" in page
    assert response.context["plan"].total("students") == 2
    assert "5 fichiers" in page
