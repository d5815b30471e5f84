"""Two Saint-Étienne grading worlds: two campaigns of mean levels through a grid (/10
each, summed to /20), and the AI badge required.

``saint_etienne`` is built from factories, no import runs: four students whose every
share is written here, so that each note can be worked out by hand. Grading tests use it.

``roster``, ``campaigns`` and ``scheme`` are the world of the sample files: the real
roster import (96 students) and Pix imports of ``tests/data``. For the tests about an
import itself, and the browser journeys (``tests/e2e`` and ``tests/scope`` import these
fixtures by name).
"""

import datetime as dt
from dataclasses import dataclass

import pytest

from campaigns import services as campaign_services
from campaigns.models import Campaign
from grading.models import Component, Grid, Scheme
from pixoffice.accounts import services as accounts_services
from pixoffice.accounts.models import AcademicYear, Student
from pixoffice.badges.models import BadgeRequirement, BadgeSubmission
from tests.factories import (
    AcademicYearFactory,
    CampaignFactory,
    GridFactory,
    ParticipationFactory,
    SchemeFactory,
    ShareFactory,
    StudentFactory,
)
from tests.factories.badges import BadgeRequirementFactory, BadgeSubmissionFactory
from tests.factories.campaigns import PARIS

FIRST = ["1.1", "2.1", "3.1", "4.1"]  # the competences of campaign 1
SECOND = ["1.2", "2.2", "2.3", "3.2", "4.2"]  # of campaign 2


@pytest.fixture
def year(db) -> AcademicYear:
    return AcademicYearFactory(
        name="2025-2026", start=dt.date(2025, 9, 1), end=dt.date(2026, 8, 31)
    )


@pytest.fixture
def requirement(year, programmes) -> BadgeRequirement:
    return BadgeRequirementFactory(
        name="Module IA — Open Badge",
        academic_year=year,
        deadline=dt.datetime(2026, 12, 8, 22, 59, tzinfo=dt.UTC),
        programmes=list(programmes.values()),
        trusted_badges=[],
    )


def give_badge(student, requirement, status=BadgeSubmission.Status.VERIFIED) -> BadgeSubmission:
    return BadgeSubmissionFactory(student=student, requirement=requirement, status=status)


@pytest.fixture
def se_grid(year) -> Grid:
    """Each quarter of a mean level gives half a point: 0,75 → 1,5/10, level 5 → 10/10."""
    return GridFactory(name="Saint-Étienne niveaux", academic_year=year)


def saint_etienne_scheme(campaigns, requirement, grid, year, programmes) -> Scheme:
    """« Pix S1 » of the four programmes: campaign 1 + campaign 2, the AI badge required."""
    return SchemeFactory(
        name="Pix S1",
        academic_year=year,
        programmes=list(programmes.values()),
        components=[
            *(
                {
                    "label": f"Campagne {position}",
                    "campaign": campaign,
                    "basis": Component.Basis.MEAN_LEVEL,
                    "grid": grid,
                }
                for position, campaign in enumerate(campaigns, start=1)
            ),
            {"label": "Module IA", "badge": True, "badge_requirement": requirement},
        ],
    )


# --- the world built from factories -----------------------------------------------------


@dataclass
class World:
    scheme: Scheme
    campaigns: tuple[Campaign, Campaign]
    grid: Grid
    requirement: BadgeRequirement
    simon: Student  # L2 SED: 1,5 + 1 = 2,5/20
    hugo: Student  # L2 SED: 9 + 9 = 18/20, validated once he has the badge
    nina: Student  # L2 Géographie, campaign 1 only: 4 + 0 = 4/20
    leo: Student  # L2 Histoire, never joined a campaign: 0/20

    @property
    def students(self) -> list[Student]:
        return [self.simon, self.hugo, self.nina, self.leo]


def shared(campaign, student, levels, *, at=None, counts=True, total_pix=None, **participation):
    """A share of ``student`` (``None``: an unmatched row) in ``campaign``, at these levels
    on the campaign's competences (8 pix a level); makes the participation if needed."""
    codes = FIRST if campaign.code == "URRTVG494" else SECOND
    row = (
        campaign.participations.filter(student=student).first() if student is not None else None
    ) or ParticipationFactory(campaign=campaign, student=student, **participation)
    results = {code: [level, 8 * level] for code, level in zip(codes, levels, strict=True)}
    extra = {"shared_at": at} if at else {}
    if total_pix is not None:
        extra["total_pix"] = total_pix
    return ShareFactory(participation=row, results=results, counts=counts, **extra)


@pytest.fixture
def saint_etienne(year, programmes, se_grid, requirement) -> World:
    """Four students of 2025-2026 in the scheme's cohort, and two rows that are not:
    an unmatched participation and a student of another year, both at level 5."""
    sed, geo = programmes["L2 SED"], programmes["L2 Géographie"]
    first = CampaignFactory(
        code="URRTVG494",
        name="Pix L1 2025-2026 — collecte",
        academic_year=year,
        programmes=list(programmes.values()),
        competences=FIRST,
    )
    second = CampaignFactory(
        code="MJPECY232",
        name="Pix L1 2025-2026 — collecte 2",
        academic_year=year,
        programmes=list(programmes.values()),
        competences=SECOND,
    )
    student = {"academic_year": year}
    simon = StudentFactory(
        last_name="Simon",
        first_name="Aurélien",
        student_number="21093462",
        programme=sed,
        email="aurelien.simon@etu.univ-exemple.fr",
        **student,
    )
    hugo = StudentFactory(
        last_name="Vincent", first_name="Hugo", student_number="21846013", programme=sed, **student
    )
    nina = StudentFactory(
        last_name="Lefèvre", first_name="Nina", student_number="21900003", programme=geo, **student
    )
    leo = StudentFactory(
        last_name="Roux",
        first_name="Léo",
        student_number="22900001",
        programme=programmes["L2 Histoire"],
        **student,
    )
    # Simon's first sending (mean 0,5) no longer counts: his sending of 15/03 does
    shared(
        first,
        simon,
        [0, 1, 1, 0],
        at=dt.datetime(2026, 1, 20, 9, 0, tzinfo=PARIS),
        counts=False,
        total_pix=112,
    )
    shared(first, simon, [0, 1, 2, 0], total_pix=136)  # mean 0,75 → 1,5/10
    shared(second, simon, [2, 0, 0, 0, 1])  # mean 0,6 → 1/10
    shared(first, hugo, [5, 4, 5, 4])  # mean 4,5 → 9/10
    shared(second, hugo, [5, 5, 4, 5, 4])  # mean 4,6 → 9/10
    shared(first, nina, [2, 2, 2, 2])  # mean 2 → 4/10; no share in campaign 2 → 0
    shared(first, None, [5, 5, 5, 5], identifier="E189966", last_name="Inconnu")
    elsewhere = AcademicYearFactory(
        name="2024-2025", start=dt.date(2024, 9, 1), end=dt.date(2025, 8, 31)
    )
    shared(first, StudentFactory(programme=sed, academic_year=elsewhere), [5, 5, 5, 5])
    scheme = saint_etienne_scheme((first, second), requirement, se_grid, year, programmes)
    return World(scheme, (first, second), se_grid, requirement, simon, hugo, nina, leo)


# --- the world of the sample files (real imports) ---------------------------------------


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
        competences=FIRST,
    )
    second = CampaignFactory(
        code="MJPECY232",
        academic_year=year,
        programmes=list(programmes.values()),
        competences=SECOND,
    )
    import_export(sample)
    import_export(sample.replace(b"URRTVG494", b"MJPECY232"))
    return first, second


@pytest.fixture
def scheme(campaigns, requirement, se_grid, year, programmes):
    return saint_etienne_scheme(campaigns, requirement, se_grid, year, programmes)
