"""The unmatched queue offers « Voir les lignes ignorées » only when there is one to
see, and no row's search form is a landmark (one per row, all of the same name)."""

import pytest
from django.urls import reverse

from tests.campaigns.test_unmatched_ignore import queue  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_no_link_to_the_ignored_rows_while_there_is_none(client, people, queue):  # noqa: F811
    client.force_login(people["staff"])
    url = reverse("campaigns:unmatched", args=[queue["campaign"].pk])

    page = client.get(url).content.decode()
    assert "ignorees=1" not in page
    assert 'role="search"' not in page

    client.post(
        reverse("campaigns:unmatched_ignore", args=[queue["campaign"].pk, queue["meef"].pk]),
        {"reason": "M1 MEEF"},
    )
    assert "?ignorees=1" in client.get(url).content.decode()
