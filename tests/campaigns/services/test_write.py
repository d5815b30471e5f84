"""``campaigns.services.write``: a planned import applied in one locked transaction,
once, with a number of queries that does not grow with the rows."""

import pytest

from campaigns import services
from campaigns.models import Campaign, Participation, ResultImport, Share
from tests.campaigns.importing import run_import
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_sample_export_imports_with_the_counts_of_its_readme(roster, campaign, sample):
    _plan, batch = run_import(sample("profiles-collection-sup.csv"))

    assert batch.status == ResultImport.Status.APPLIED
    summary = {
        k: v for k, v in batch.summary.items() if k not in ("kind", "campaign", "late_shares")
    }
    assert summary == {
        "rows": 41,
        "participants": 40,
        "new_participants": 40,
        "shares_created": 31,
        "shares_unchanged": 0,
        "not_shared": 10,
        "unmatched": 10,
        "errors": [],
    }
    assert Participation.objects.filter(campaign=campaign, student__isnull=False).count() == 30
    assert sorted(
        Participation.objects.filter(student__isnull=True).values_list("identifier", flat=True)
    )[:3] == ["E157925", "E189966", "E275785"]
    two = Participation.objects.get(identifier="21093462")
    assert [s.total_pix for s in two.shares.order_by("shared_at")] == [112, 136]
    assert [s.counts for s in two.shares.order_by("shared_at")] == [False, True]
    assert two.student.student_number == "21093462"


def test_reimport_of_the_same_file_changes_nothing(roster, campaign, sample):
    run_import(sample("profiles-collection-sup.csv"))
    before = list(
        Share.objects.order_by("pk").values_list("pk", "participation_id", "shared_at", "counts")
    )

    _plan, batch = run_import(sample("profiles-collection-sup.csv"))

    assert (
        batch.summary["shares_created"],
        batch.summary["shares_unchanged"],
        batch.summary["new_participants"],
    ) == (0, 31, 0)
    assert (
        list(
            Share.objects.order_by("pk").values_list(
                "pk", "participation_id", "shared_at", "counts"
            )
        )
        == before
    )


def test_assessment_export_imports(roster, programmes, sample):
    CampaignFactory(
        code="ZPJJUD566", kind=Campaign.Kind.ASSESSMENT, programmes=list(programmes.values())
    )

    _plan, batch = run_import(sample("assessment.csv"))

    assert (
        batch.summary["rows"],
        batch.summary["participants"],
        batch.summary["shares_created"],
        batch.summary["not_shared"],
        batch.summary["unmatched"],
    ) == (42, 40, 39, 3, 11)
    assert Participation.objects.filter(identifier="02001508", student__isnull=True).exists()


def test_apply_twice_does_not_duplicate(roster, campaign, sample):
    _plan, batch = run_import(sample("profiles-collection-sup.csv"))

    services.apply_result_import(batch.pk)

    assert Share.objects.count() == 31


def _generated_export(rows: int) -> bytes:
    from tests.campaigns.generate import profiles_export

    return profiles_export(rows, code="URRTVG494")


@pytest.mark.parametrize("rows", [10, 1000])
def test_import_queries_do_not_grow_with_rows(roster, campaign, rows, django_assert_num_queries):
    data = _generated_export(rows)
    plan = services.plan_result_import(data, campaign=None, by=None)
    batch = services.store_result_file(data, name="x.csv", by=None, campaign=plan.campaign)

    # read the batch; savepoint; lock the campaign, the batch (one statement each);
    # read the batch, the framework, participations, shares, roster; reserve ids (2);
    # record the campaign's Pix id (first import); save; release (COPY goes by the raw
    # connection; nobody matched: no student lock)
    with django_assert_num_queries(14):
        services.apply_result_import(batch.pk)

    assert (
        Share.objects.filter(participation__campaign=campaign).count()
        == plan.summary()["shares_created"]
    )
