"""Issue 15 point 4: the unmatched queue can be emptied. A row of another programme
is set aside with a reason (undoable), hidden from the queue and from every count; a
row is linked after a search by name or number among the students in scope."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaigns import services
from campaigns.models import Participation
from pixoffice.portal.staff_home import staff_actions
from tests.factories import CampaignFactory, ParticipationFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(programmes, people):
    geo, histoire = programmes["L2 Géographie"], programmes["L2 Histoire"]
    campaign = CampaignFactory(code="GEO2026", programmes=[geo])
    meef = ParticipationFactory(
        campaign=campaign, student=None, identifier="E777", last_name="Martin", first_name="Zoé"
    )
    typo = ParticipationFactory(
        campaign=campaign, student=None, identifier="2190001", last_name="Durand", first_name="Max"
    )
    durand = StudentFactory(
        programme=geo, student_number="21900011", last_name="Durand", first_name="Maxime"
    )
    stranger = StudentFactory(
        programme=histoire, student_number="21900012", last_name="Durand", first_name="Maxence"
    )
    return {
        "campaign": campaign,
        "meef": meef,
        "typo": typo,
        "durand": durand,
        "stranger": stranger,
    }


def _ignore_url(queue, row):
    return reverse("campaigns:unmatched_ignore", args=[queue["campaign"].pk, row.pk])


def _restore_url(queue, row):
    return reverse("campaigns:unmatched_restore", args=[queue["campaign"].pk, row.pk])


def test_staff_ignores_a_row_with_a_reason_and_it_leaves_the_queue(client, people, queue):
    client.force_login(people["staff"])
    url = reverse("campaigns:unmatched", args=[queue["campaign"].pk])

    answer = client.post(_ignore_url(queue, queue["meef"]), {"reason": "  Inscrite en  M1 MEEF "})

    assert answer.status_code == 302
    row = Participation.objects.get(pk=queue["meef"].pk)
    assert row.ignored_reason == "Inscrite en M1 MEEF"
    assert row.ignored_by == people["staff"]
    assert row.ignored_at is not None
    page = client.get(url)
    assert [i["participation"].pk for i in page.context["items"]] == [queue["typo"].pk]
    assert page.context["other_count"] == 1
    ignored = client.get(url, {"ignorees": "1"})
    assert [i["participation"].pk for i in ignored.context["items"]] == [queue["meef"].pk]
    assert "Inscrite en M1 MEEF" in ignored.content.decode()


def test_ignoring_without_a_reason_is_refused_in_french(client, people, queue):
    client.force_login(people["staff"])

    page = client.post(_ignore_url(queue, queue["meef"]), {"reason": "  "}, follow=True)

    assert "E777" in " ".join(str(m) for m in page.context["messages"])
    assert Participation.objects.get(pk=queue["meef"].pk).ignored_at is None


def test_ignoring_is_undone(client, people, queue):
    client.force_login(people["staff"])
    client.post(_ignore_url(queue, queue["meef"]), {"reason": "DUT GEA"})

    answer = client.post(_restore_url(queue, queue["meef"]))

    assert answer.status_code == 302
    row = Participation.objects.get(pk=queue["meef"].pk)
    assert (row.ignored_at, row.ignored_by, row.ignored_reason) == (None, None, "")
    page = client.get(reverse("campaigns:unmatched", args=[queue["campaign"].pk]))
    assert len(page.context["items"]) == 2


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff_other", 404), ("student_a", 403), ("admin", 302), ("staff", 302)],
)
def test_ignore_and_restore_per_role(client, people, queue, role, status):
    client.force_login(people[role])

    assert client.post(_ignore_url(queue, queue["meef"]), {"reason": "M1"}).status_code == status
    ignored = Participation.objects.get(pk=queue["meef"].pk).ignored_at is not None
    assert ignored == (status == 302)

    services.ignore_participation(queue["typo"], reason="M1", by=people["admin"])
    assert client.post(_restore_url(queue, queue["typo"])).status_code == status
    restored = Participation.objects.get(pk=queue["typo"].pk).ignored_at is None
    assert restored == (status == 302)


def test_anonymous_is_sent_to_log_in(client, queue):
    assert client.post(_ignore_url(queue, queue["meef"]), {"reason": "M1"}).status_code == 302
    assert Participation.objects.get(pk=queue["meef"].pk).ignored_at is None


def test_search_finds_students_in_scope_only_then_links(client, people, queue):
    client.force_login(people["staff"])
    url = reverse("campaigns:unmatched", args=[queue["campaign"].pk])

    page = client.get(url, {"ligne": queue["typo"].pk, "q": "durand"})

    (item,) = [i for i in page.context["items"] if i["searched"]]
    assert item["participation"] == queue["typo"]
    # the L2 Histoire homonym is not of the campaign's programmes: not offered
    assert [s.pk for s in item["found"]] == [queue["durand"].pk]
    by_number = client.get(url, {"ligne": queue["typo"].pk, "q": "2190001"})
    (item,) = [i for i in by_number.context["items"] if i["searched"]]
    assert [s.pk for s in item["found"]] == [queue["durand"].pk]

    client.post(url, {"participation": queue["typo"].pk, "student_number": "21900011"})
    assert Participation.objects.get(pk=queue["typo"].pk).student == queue["durand"]


def test_staff_of_another_programme_cannot_link_or_search(client, people, queue):
    client.force_login(people["staff_other"])
    url = reverse("campaigns:unmatched", args=[queue["campaign"].pk])

    assert client.get(url, {"ligne": queue["typo"].pk, "q": "durand"}).status_code == 404
    answer = client.post(url, {"participation": queue["typo"].pk, "student_number": "21900011"})

    assert answer.status_code == 404
    assert Participation.objects.get(pk=queue["typo"].pk).student is None


def test_linking_a_student_out_of_the_campaign_is_refused(client, people, queue):
    client.force_login(people["staff"])
    url = reverse("campaigns:unmatched", args=[queue["campaign"].pk])

    client.post(url, {"participation": queue["typo"].pk, "student_number": "21900012"})

    assert Participation.objects.get(pk=queue["typo"].pk).student is None


def test_linking_an_ignored_row_takes_it_out_of_the_ignored(people, queue):
    services.ignore_participation(queue["typo"], reason="erreur", by=people["staff"])

    services.link_participation(queue["typo"], queue["durand"], by=people["staff"])

    row = Participation.objects.get(pk=queue["typo"].pk)
    assert row.student == queue["durand"] and row.ignored_at is None


def test_the_database_refuses_an_ignored_linked_row(queue):
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.filter(pk=queue["typo"].pk).update(
            student=queue["durand"], ignored_at="2026-03-01T10:00Z"
        )


def test_the_staff_home_counts_only_rows_still_to_handle(client, people, queue):
    assert staff_actions(people["staff"]).unmatched_total == 2
    services.ignore_participation(queue["meef"], reason="M1 MEEF", by=people["staff"])

    assert staff_actions(people["staff"]).unmatched_total == 1
    assert staff_actions(people["staff_other"]).unmatched_total == 0
    client.force_login(people["staff"])
    home = client.get(reverse("portal:staff_home")).content.decode()
    assert "1 ligne Pix non rattachée" in home

    services.ignore_participation(queue["typo"], reason="DUT GEA", by=people["staff"])
    assert staff_actions(people["staff"]).unmatched_total == 0
    follow_up = client.get(reverse("campaigns:detail", args=[queue["campaign"].pk]))
    assert follow_up.context["unmatched"] == 0


def _queue_queries(client, campaign, **params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("campaigns:unmatched", args=[campaign.pk])
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_the_queue_costs_the_same_queries_with_few_or_more_rows(client, people, queue):
    client.force_login(people["staff"])
    search = {"ligne": queue["typo"].pk, "q": "durand"}
    aside = ParticipationFactory(campaign=queue["campaign"], student=None, last_name="Y")
    services.ignore_participation(aside, reason="M1", by=people["staff"])  # 1 ignored row
    before = (
        _queue_queries(client, queue["campaign"]),
        _queue_queries(client, queue["campaign"], **search),
        _queue_queries(client, queue["campaign"], ignorees="1"),
    )
    for i in range(4):
        row = ParticipationFactory(campaign=queue["campaign"], student=None, last_name=f"X{i}")
        if i % 2:
            services.ignore_participation(row, reason="M1", by=people["staff"])

    after = (
        _queue_queries(client, queue["campaign"]),
        _queue_queries(client, queue["campaign"], **search),
        _queue_queries(client, queue["campaign"], ignorees="1"),
    )

    assert after == before
