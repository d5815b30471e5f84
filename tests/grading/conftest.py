"""A Saint-Étienne grading world built from the sample files: the roster, campaign 1
(the sample export, competences 1.1, 2.1, 3.1, 4.1), campaign 2 (the same export under
another code, competences 1.2, 2.2, 2.3, 3.2, 4.2), the AI badge requirement, a grid
on mean levels (/10) and the scheme that sums both campaigns to /20."""

import datetime as dt
from decimal import Decimal

import pytest

from campaigns import services as campaign_services
from grading import grids
from grading.demo import saint_etienne_steps
from grading.models import Component, Scheme
from pixoffice.accounts import services as accounts_services
from pixoffice.accounts.models import AcademicYear
from pixoffice.badges.models import BadgeRequirement, BadgeSubmission
from tests.factories import CampaignFactory


@pytest.fixture
def year(db):
    return AcademicYear.objects.create(
        name="2025-2026", start=dt.date(2025, 9, 1), end=dt.date(2026, 8, 31)
    )


@pytest.fixture
def roster(programmes, roster_bytes, year):
    plan = accounts_services.plan_roster_import(roster_bytes, by=None, academic_year=year)
    batch = accounts_services.store_roster_file(
        roster_bytes, name="roster.csv", by=None, mapping=plan.mapping, academic_year=year
    )
    accounts_services.apply_roster_import(batch.pk)


def import_export(data: bytes):
    plan = campaign_services.plan_result_import(data, campaign=None, by=None)
    batch = campaign_services.store_result_file(
        data, name="export.csv", by=None, campaign=plan.campaign, summary=plan.summary()
    )
    return campaign_services.apply_result_import(batch.pk)


@pytest.fixture
def campaigns(roster, programmes, year, data_dir):
    sample = (data_dir / "profiles-collection-sup.csv").read_bytes()
    first = CampaignFactory(
        code="URRTVG494",
        academic_year=year,
        programmes=list(programmes.values()),
        competences=["1.1", "2.1", "3.1", "4.1"],
    )
    second = CampaignFactory(
        code="MJPECY232",
        academic_year=year,
        programmes=list(programmes.values()),
        competences=["1.2", "2.2", "2.3", "3.2", "4.2"],
    )
    import_export(sample)
    import_export(sample.replace(b"URRTVG494", b"MJPECY232"))
    return first, second


@pytest.fixture
def requirement(year, programmes):
    requirement = BadgeRequirement.objects.create(
        name="Module IA — Open Badge",
        academic_year=year,
        deadline=dt.datetime(2026, 12, 8, 22, 59, tzinfo=dt.UTC),
    )
    requirement.programmes.set(programmes.values())
    return requirement


def give_badge(student, requirement, status=BadgeSubmission.Status.VERIFIED):
    return BadgeSubmission.objects.create(
        student=student,
        requirement=requirement,
        original_name="badge.png",
        sha256="0" * 64,
        format=BadgeSubmission.Format.PNG,
        status=status,
    )


@pytest.fixture
def se_grid(year):
    return grids.create_grid(
        name="Saint-Étienne niveaux",
        academic_year=year,
        scale=Decimal(10),
        steps=saint_etienne_steps(),
        by=None,
    )


@pytest.fixture
def scheme(campaigns, requirement, se_grid, year, programmes):
    scheme = Scheme.objects.create(name="Pix S1", academic_year=year)
    scheme.programmes.set(programmes.values())
    for position, campaign in enumerate(campaigns, start=1):
        Component.objects.create(
            scheme=scheme,
            position=position,
            label=f"Campagne {position}",
            campaign=campaign,
            basis=Component.Basis.MEAN_LEVEL,
            grid=se_grid,
        )
    Component.objects.create(
        scheme=scheme,
        position=3,
        label="Module IA",
        kind=Component.Kind.BADGE,
        badge_requirement=requirement,
    )
    return scheme
