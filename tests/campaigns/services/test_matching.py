"""``campaigns.services.matching``: an export's rows matched to roster students and to
the shares already stored (the same sending, whatever the header's precision), and the
latest names and groups noted."""

import pytest

from campaigns import services
from campaigns.models import Participation, Share
from tests.campaigns.importing import apply, old_header_variant, run_import

pytestmark = pytest.mark.django_db


def test_external_id_only_export_matches_by_the_external_id(roster, campaign, sample):
    _plan, batch = run_import(sample("profiles-collection-external-id.csv"))

    assert (
        batch.summary["participants"],
        batch.summary["unmatched"],
        batch.summary["shares_created"],
    ) == (40, 10, 31)


def test_a_later_export_adds_only_what_is_new(roster, campaign, sample):
    data = sample("profiles-collection-sup.csv").decode("utf-8-sig")
    lines = data.split("\n")
    first = "\n".join(line for line in lines if "15/03/2026 10:07" not in line)
    run_import(("\ufeff" + first).encode())

    _plan, batch = run_import(sample("profiles-collection-sup.csv"))

    assert (batch.summary["shares_created"], batch.summary["shares_unchanged"]) == (1, 30)


@pytest.mark.parametrize("order", ["current_then_old", "old_then_current"])
def test_old_header_export_of_the_same_sendings_creates_no_share(roster, campaign, sample, order):
    current = sample("profiles-collection-sup.csv")
    old = old_header_variant(current)
    first, second = (current, old) if order == "current_then_old" else (old, current)
    apply(first)
    shares = Share.objects.filter(participation__campaign=campaign).count()

    plan = apply(second)

    assert (len(plan.new_shares), plan.shares_unchanged) == (0, shares)
    assert Share.objects.filter(participation__campaign=campaign).count() == shares == 31


def test_an_old_header_sending_with_other_results_is_a_new_share(roster, campaign, sample):
    current = sample("profiles-collection-sup.csv")
    apply(current)
    # one participant's total pix differs on the same day: another sending
    old = old_header_variant(current).replace(b";136;", b";137;", 1)

    plan = apply(old)

    assert len(plan.new_shares) == 1
    assert Share.objects.filter(participation__campaign=campaign).count() == 32


def test_a_later_export_with_a_corrected_name_and_a_new_group_updates_them(
    roster, campaign, sample, staff_client, people
):
    from django.urls import reverse

    data = sample("profiles-collection-sup.csv")
    apply(data)
    later = data.replace(
        '"Dupont";"Jean-François";"L2 LEA Anglais-Espagnol"'.encode(),
        '"Dupont-Roux";"Jean-François";"L2 LEA TD2"'.encode(),
    )

    plan = services.plan_result_import(later, campaign=None, by=None)
    batch = services.store_result_file(
        later, name="later.csv", by=people["staff"], campaign=campaign
    )
    page = staff_client.get(reverse("campaigns:import", args=[batch.pk])).content.decode()
    services.apply_result_import(batch.pk)

    assert plan.summary()["renamed"] == 1
    ((_line, changes),) = plan.renamed.values()
    assert changes == {
        "nom": ("Dupont", "Dupont-Roux"),
        "groupe": ("L2 LEA Anglais-Espagnol", "L2 LEA TD2"),
    }
    assert "nom : Dupont → Dupont-Roux ; groupe : L2 LEA Anglais-Espagnol → L2 LEA TD2" in page
    participation = Participation.objects.get(campaign=campaign, last_name="Dupont-Roux")
    assert participation.group == "L2 LEA TD2"
    assert services.plan_result_import(later, campaign=None, by=None).renamed == {}
