"""A grading component on the certified score (Strasbourg: « validé » from 10/20)."""

import datetime as dt
from decimal import Decimal

import pytest

from certification.models import CertificationResult
from grading import explain, grids, services
from tests.factories import SchemeFactory, StudentFactory

pytestmark = pytest.mark.django_db

Status = CertificationResult.Status


@pytest.fixture
def strasbourg(year, data_dir, programmes):
    grid = grids.import_grid(
        (data_dir / "unistra-2023-2024.csv").read_bytes(),
        name="Unistra",
        academic_year=year,
        by=None,
    )
    # a certification component: the certified score, through the grid, ABI when missing
    return SchemeFactory(
        name="Pix — Strasbourg",
        academic_year=year,
        programmes=[programmes["L2 SED"]],
        components=[
            {
                "label": "Certification Pix",
                "certification": True,
                "grid": grid,
                "absence_code": "ABI",
            }
        ],
    )


def certified(student, number, status, score, taken_on=dt.date(2026, 3, 11)):
    return CertificationResult.objects.create(
        certification_number=number,
        student=student,
        first_name=student.first_name,
        last_name=student.last_name,
        status=status,
        score=score,
        taken_on=taken_on,
    )


def note_of(scheme, student):
    services.recompute_notes(scheme)
    return scheme.notes.get(student=student)


def test_a_certified_507_gives_13_5_validated_with_its_explanation(strasbourg, programmes, year):
    student = StudentFactory(programme=programmes["L2 SED"], academic_year=year)
    certified(student, 1, Status.VALIDATED, 507)

    note = note_of(strasbourg, student)

    assert (note.value, note.result) == (Decimal("13.5"), "validated")
    sentences = [explain.sentence(line) for line in note.explanation]
    assert any("score certifié 507 pix" in s and "13,5" in s for s in sentences)
    assert [v["status"] for v in note.sources.values()] == ["validated"]


def test_a_cancelled_certification_gives_the_absence_code(strasbourg, programmes, year):
    student = StudentFactory(programme=programmes["L2 SED"], academic_year=year)
    certified(student, 2, Status.CANCELLED, None)

    note = note_of(strasbourg, student)

    assert (note.value, note.result, note.absence_code) == (None, "absent", "ABI")


def test_the_latest_result_counts_and_last_year_s_does_not(strasbourg, programmes, year):
    student = StudentFactory(programme=programmes["L2 SED"], academic_year=year)
    certified(student, 3, Status.VALIDATED, 700, taken_on=dt.date(2024, 3, 1))  # before the year
    certified(student, 4, Status.REJECTED, 0, taken_on=dt.date(2026, 1, 10))
    certified(student, 5, Status.VALIDATED, 300, taken_on=dt.date(2026, 4, 2))

    note = note_of(strasbourg, student)

    assert note.sources[next(iter(note.sources))]["taken_on"] == "2026-04-02"
    assert any("score certifié 300 pix" in explain.sentence(line) for line in note.explanation)


@pytest.mark.parametrize("count", [1, 3])
def test_the_loader_costs_one_query_per_component(
    strasbourg, programmes, year, count, django_assert_num_queries
):
    from grading.inputs import certification_inputs
    from grading.services import scheme_components

    for number in range(count):
        certified(
            StudentFactory(programme=programmes["L2 SED"]), 10 + number, Status.VALIDATED, 400
        )
    components = scheme_components(strasbourg)

    with django_assert_num_queries(1):  # the results (the scheme and its year are known)
        found = certification_inputs(components, None)

    assert len(found) == count
