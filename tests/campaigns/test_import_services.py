import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns import services
from campaigns.models import Campaign, Participation, ResultImport, Share
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def run_import(data, *, campaign=None, by=None):
    plan = services.plan_result_import(data, campaign=campaign, by=by)
    batch = services.store_result_file(
        data, name="export.csv", by=by, campaign=plan.campaign, summary=plan.summary()
    )
    return plan, services.apply_result_import(batch.pk)


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


def test_cp1252_crlf_variant_gives_the_same_result_as_the_original(roster, campaign, sample):
    original = services.plan_result_import(
        sample("profiles-collection-sup.csv"), campaign=None, by=None
    )
    excel = services.plan_result_import(
        sample("profiles-collection-excel-cp1252.csv"), campaign=None, by=None
    )

    assert excel.summary() == original.summary()
    assert [(r.line, r.shared_at, r.total_pix, r.competences) for r in excel.new_shares] == [
        (r.line, r.shared_at, r.total_pix, r.competences) for r in original.new_shares
    ]


def test_external_id_only_export_matches_by_the_external_id(roster, campaign, sample):
    _plan, batch = run_import(sample("profiles-collection-external-id.csv"))

    assert (
        batch.summary["participants"],
        batch.summary["unmatched"],
        batch.summary["shares_created"],
    ) == (40, 10, 31)


def test_a_mismatched_campaign_is_refused_and_writes_nothing(roster, campaign, programmes, sample):
    other = CampaignFactory(code="MJPECY231", name="Campagne 1", programmes=[programmes["L2 SED"]])

    plan = services.plan_result_import(
        sample("profiles-collection-sup.csv"), campaign=other, by=None
    )

    assert [str(e) for e in plan.errors] == [
        "Ce fichier est l'export de la campagne de code URRTVG494, pas de « Campagne 1 » (code MJPECY231). "
        "Vérifiez le fichier ou la campagne choisie."
    ]


def test_an_unknown_campaign_code_is_refused(roster, sample):
    plan = services.plan_result_import(
        sample("profiles-collection-sup.csv"), campaign=None, by=None
    )

    assert [str(e) for e in plan.errors] == [
        "Aucune campagne n'a le code URRTVG494 : enregistrez d'abord la campagne dans pixoffice."
    ]


def test_an_assessment_file_for_a_profiles_campaign_is_refused(roster, programmes, sample):
    CampaignFactory(code="ZPJJUD566", programmes=list(programmes.values()))

    plan = services.plan_result_import(sample("assessment.csv"), campaign=None, by=None)

    assert plan.errors[0].message.startswith("Ce fichier est un export de campagne « Évaluation »")


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


def test_a_later_export_adds_only_what_is_new(roster, campaign, sample):
    data = sample("profiles-collection-sup.csv").decode("utf-8-sig")
    lines = data.split("\n")
    first = "\n".join(line for line in lines if "15/03/2026 10:07" not in line)
    run_import(("\ufeff" + first).encode())

    _plan, batch = run_import(sample("profiles-collection-sup.csv"))

    assert (batch.summary["shares_created"], batch.summary["shares_unchanged"]) == (1, 30)


def test_counting_rules_pick_the_right_share(roster, campaign, sample):
    run_import(sample("profiles-collection-sup.csv"))
    two = Participation.objects.get(identifier="21093462")

    def counting():
        return [s.total_pix for s in two.shares.filter(counts=True)]

    assert counting() == [136]  # last before the deadline (31/05/2026)
    campaign.deadline = campaign.deadline.replace(year=2025, month=12, day=31)
    campaign.save()
    services.recompute_counting(campaign)
    assert counting() == [112]  # the March share is now late
    assert two.shares.get(total_pix=136).is_late is True
    campaign.counting_rule = Campaign.CountingRule.LAST
    campaign.save()
    services.recompute_counting(campaign)
    assert counting() == [136]
    campaign.counting_rule = Campaign.CountingRule.BEST
    campaign.save()
    services.recompute_counting(campaign)
    assert counting() == [136]


def test_linking_an_unmatched_row_attaches_its_shares(roster, campaign, sample, people):
    from pixoffice.accounts.models import Student

    run_import(sample("profiles-collection-sup.csv"))
    unmatched = Participation.objects.get(identifier="E189966")
    student = Student.objects.get(student_number="22900001")

    services.link_participation(unmatched, student, by=people["staff"])

    assert [s.total_pix for s in Share.objects.filter(participation__student=student)] == [180]
    assert Participation.objects.filter(student__isnull=True).count() == 9
    _plan, _batch = run_import(sample("profiles-collection-sup.csv"))  # a re-import keeps the link
    assert Participation.objects.get(identifier="E189966").student == student


def test_linking_a_student_who_already_participates_is_refused(roster, campaign, sample, people):
    from pixoffice.accounts.models import Student

    run_import(sample("profiles-collection-sup.csv"))

    with pytest.raises(ValueError, match="a déjà une participation"):
        services.link_participation(
            Participation.objects.get(identifier="E189966"),
            Student.objects.get(student_number="21093462"),
            by=people["staff"],
        )


def test_apply_twice_does_not_duplicate(roster, campaign, sample):
    _plan, batch = run_import(sample("profiles-collection-sup.csv"))

    services.apply_result_import(batch.pk)

    assert Share.objects.count() == 31


def _generated_export(rows: int) -> bytes:
    from tests.campaigns.generate import profiles_export

    return profiles_export(rows, code="URRTVG494")


@pytest.mark.parametrize("rows", [10, 1000])
def test_import_queries_do_not_grow_with_rows(roster, campaign, rows):
    data = _generated_export(rows)
    plan = services.plan_result_import(data, campaign=None, by=None)
    batch = services.store_result_file(data, name="x.csv", by=None, campaign=plan.campaign)

    with CaptureQueriesContext(connection) as queries:
        services.apply_result_import(batch.pk)

    assert (
        Share.objects.filter(participation__campaign=campaign).count()
        == plan.summary()["shares_created"]
    )
    # read the batch; savepoint; lock the campaign, the batch (one statement each);
    # read the batch, the framework, participations, shares, roster; reserve ids (2);
    # keep the file's header (one upsert); record the campaign's Pix id (first import);
    # save; release (COPY goes by the raw connection; nobody matched: no student lock)
    assert len(queries) == 15


def test_sample_export_with_three_rows_pasted_twice_imports_like_the_original(
    roster, campaign, sample
):
    original = sample("profiles-collection-sup.csv")
    lines = original.split(b"\n")
    # three shared rows of the sample copied at the end (e.g. two exports pasted together)
    shared = [i for i, line in enumerate(lines[1:], start=1) if b'"Oui"' in line][:3]
    doubled = b"\n".join([*lines[:-1], *(lines[i] for i in shared), lines[-1]])

    plan = services.plan_result_import(doubled, campaign=None, by=None)
    expected = services.plan_result_import(original, campaign=None, by=None).summary()

    summary = plan.summary()
    warnings = summary.pop("warnings")
    assert summary == expected
    assert [w["row"] for w in warnings] == [len(lines) + k for k in range(3)]
    assert [w["message"] for w in warnings] == [
        f"ligne identique à la ligne {i + 1} (même envoi) : importée une seule fois."
        for i in shared
    ]


def old_header_variant(data: bytes) -> bytes:
    """The export as Pix wrote it before the header said the time: « Date de l'envoi »,
    the UTC date of each sending only."""
    import datetime as dt
    import re
    from zoneinfo import ZoneInfo

    def utc_date(match) -> bytes:
        day, month, year, hour, minute = map(int, match.groups())
        paris = dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Paris"))
        return paris.astimezone(dt.UTC).strftime("%d/%m/%Y").encode()

    data = data.replace(b"Date et heure de l'envoi (Europe/Paris)", b"Date de l'envoi")
    return re.sub(rb"(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2})", utc_date, data)


def apply(data: bytes):
    plan = services.plan_result_import(data, campaign=None, by=None)
    assert not plan.refused, plan.errors
    batch = services.store_result_file(data, name="export.csv", by=None, campaign=plan.campaign)
    services.apply_result_import(batch.pk)
    return plan


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


def test_the_first_import_keeps_the_pix_campaign_id_and_another_id_is_refused(
    roster, campaign, sample
):
    data = sample("profiles-collection-sup.csv")
    apply(data)
    campaign.refresh_from_db()
    assert campaign.pix_id == "574354"

    other = services.plan_result_import(
        data.replace(b";574354;", b";574355;"), campaign=None, by=None
    )

    assert [str(e) for e in other.errors] == [
        "Ce fichier est l'export de la campagne Pix n° 574355, alors que « Pix L1 2025-2026 — "
        "collecte » (URRTVG494) est la campagne Pix n° 574354 : vérifiez le fichier, ou "
        "corrigez l'ID Campagne de la campagne."
    ]
    assert services.plan_result_import(data, campaign=None, by=None).errors == []


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


def test_service_refusals_follow_the_readers_language(sample):
    from django.utils import translation

    data = sample("profiles-collection-sup.csv")  # no campaign URRTVG494 registered

    with translation.override("en"):
        english = services.plan_result_import(data, campaign=None, by=None).errors
    french = services.plan_result_import(data, campaign=None, by=None).errors

    assert [str(e) for e in english] == [
        "No campaign has code URRTVG494: save the campaign in pixoffice first."
    ]
    assert [str(e) for e in french] == [
        "Aucune campagne n'a le code URRTVG494 : enregistrez d'abord la campagne dans pixoffice."
    ]
