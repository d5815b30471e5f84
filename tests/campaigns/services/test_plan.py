"""``campaigns.services.plan``: a Pix Orga export parsed, checked against its campaign
and matched, writing nothing; refusals in the reader's language."""

import pytest

from campaigns import services
from tests.campaigns.importing import apply
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


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
