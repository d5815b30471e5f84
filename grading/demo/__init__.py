"""Demo grading: the Strasbourg grid (the real file), a Saint-Étienne grid on mean
levels, and a Saint-Étienne scheme (two campaigns /10 summed to /20, the AI badge
required) whose notes are computed and published."""

from decimal import Decimal
from pathlib import Path

from campaigns.models import Campaign
from grading import computation as calc
from grading import grids, services
from grading.models import Component, Grid, Scheme
from pixoffice.accounts.models import AcademicYear, Programme, Semester

HERE = Path(__file__).resolve().parent
SAINT_ETIENNE_GRID = "Saint-Étienne — niveau moyen sur 10"


def saint_etienne_steps() -> list[calc.Step]:
    """Each quarter of a level gives half a point: level 5 (the target) gives 10/10."""
    return [calc.Step(Decimal(i) / 4, Decimal(i) / 2) for i in range(21)]


def load_grading_demo(year: AcademicYear, badge_requirement=None) -> list[str]:
    unistra = Grid.objects.filter(name="Unistra", academic_year=year).first()
    if unistra is None:
        grids.import_grid(
            (HERE / "unistra-2023-2024.csv").read_bytes(),
            name="Unistra",
            academic_year=year,
            by=None,
        )
    grid = Grid.objects.filter(name=SAINT_ETIENNE_GRID, academic_year=year).first()
    if grid is None:
        grid = grids.create_grid(
            name=SAINT_ETIENNE_GRID,
            academic_year=year,
            scale=Decimal(10),
            steps=saint_etienne_steps(),
            by=None,
            input_name="niveau_moyen_min",
        )
    scheme, created = Scheme.objects.get_or_create(
        name="Enseignement Pix — Saint-Étienne",
        academic_year=year,
        defaults={
            "semester": Semester.objects.filter(academic_year=year, number=1).first(),
            "combine": Scheme.Combine.SUM,
            "scale": Decimal(20),
            "pass_mark": Decimal(10),
            "rounding": Scheme.Rounding.HALF_NEAREST,
        },
    )
    scheme.refresh_from_db()  # its numbers as stored (20.00), as every later run reads them
    programmes = list(Programme.objects.filter(name__startswith="L2 "))
    # the scheme's year's two campaigns (a demo database of an earlier version had last
    # year's URRTVG494 as campaign 1: put it right)
    for position, (label, code) in enumerate(
        [("Campagne 1", "MJPECY231"), ("Campagne 2", "MJPECY232")], start=1
    ):
        Component.objects.update_or_create(
            scheme=scheme,
            position=position,
            kind=Component.Kind.CAMPAIGN,
            defaults={
                "label": label,
                "campaign": Campaign.objects.get(code=code, academic_year=year),
                "basis": Component.Basis.MEAN_LEVEL,
                "grid": grid,
            },
        )
    if created:
        scheme.programmes.set(programmes)
        if badge_requirement is not None:
            Component.objects.create(
                scheme=scheme,
                position=3,
                label="Module IA (Open Badge)",
                kind=Component.Kind.BADGE,
                badge_requirement=badge_requirement,
            )
    services.recompute_notes(scheme)
    for programme in programmes:
        services.publish_notes(scheme, programme, by=None, reason="Démo : nouvelle publication")
    return [scheme.name]


STRASBOURG_SCHEME = "Certification Pix — Strasbourg"


def load_certification_grading_demo(year: AcademicYear) -> str:
    """L2 SED graded the Strasbourg way: the certified score through the Unistra grid,
    « validé » from 10/20, ABI when the certification is cancelled or missing."""
    scheme, created = Scheme.objects.get_or_create(
        name=STRASBOURG_SCHEME,
        academic_year=year,
        defaults={
            "semester": Semester.objects.filter(academic_year=year, number=2).first(),
            "combine": Scheme.Combine.SUM,
            "scale": Decimal(20),
            "pass_mark": Decimal(10),
        },
    )
    Component.objects.update_or_create(
        scheme=scheme,
        position=1,
        defaults={
            "label": "Certification Pix",
            "kind": Component.Kind.CERTIFICATION,
            "basis": Component.Basis.CERTIFICATION_SCORE,
            "grid": Grid.objects.get(
                name="Unistra", academic_year=year, superseded_by__isnull=True
            ),
            "missing": Component.Missing.ABSENCE,
            "absence_code": "ABI",
        },
    )
    programme = Programme.objects.get(name="L2 SED")
    if created:
        scheme.programmes.set([programme])
    services.recompute_notes(scheme)
    services.publish_notes(scheme, programme, by=None, reason="Démo : nouvelle publication")
    return scheme.name
