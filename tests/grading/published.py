"""Published notes for the export, attestation and command tests.

A Strasbourg-like scheme (the certified score through the 2023-2024 grid, ABI when it is
missing) computed by ``grading.computation.compute`` so that the stored explanation is
the real one, then published with ``grading.services.publish_notes``.
"""

from decimal import Decimal

from grading import computation as calc
from grading import services
from grading.models import Note, Scheme
from pixoffice.accounts.models import Student
from tests.conftest import DATA
from tests.factories import NoteFactory, SchemeFactory, StudentFactory

UNISTRA = calc.read_grid_file((DATA / "unistra-2023-2024.csv").read_bytes())
GRID_LABEL = "Unistra 2023-2024 (v1)"
RULE = calc.SchemeRule(
    components=[
        calc.ComponentRule(
            key="certif",
            label="Certification",
            basis=calc.CERTIFICATION_SCORE,
            grid=calc.GridRule(1, GRID_LABEL, UNISTRA.scale, UNISTRA.steps),
            missing=calc.MISSING_ABSENCE,
            absence_code="ABI",
        )
    ],
    scale=Decimal(20),
    pass_mark=Decimal(10),
)
FORMULA = '=HYPERLINK("https://exemple.org","clic")'


def add_note(scheme: Scheme, student: Student, score: int | None, *, published=False) -> Note:
    """The student's note computed from a certified score (``None``: absent); with
    ``published``, published as it is (without ``publish_notes``' audit lines)."""
    outcome = calc.compute(
        RULE,
        {"certif": calc.ComponentInput(score=None if score is None else Decimal(score))},
    )
    return NoteFactory(
        scheme=scheme,
        student=student,
        value=outcome.value,
        result=outcome.result,
        absence_code=outcome.absence_code,
        explanation=outcome.lines,
        sources=outcome.sources,
        published=published,
    )


def build(people, programmes) -> dict:
    """Scheme « Pix L2 » of L2 Géographie. Published: Martin Léa 14,5 (student A),
    Durand with a formula as first name 5,5, Bernard Paul absent (ABI). Not published:
    student B's 12,5, computed after the publication."""
    geo = programmes["L2 Géographie"]
    a = people["student_a"].student
    a.last_name, a.first_name, a.student_number, a.ine = "Martin", "Léa", "00123456", "0123456789A"
    a.group = "TD 2"
    a.save()
    b = people["student_b"].student
    b.last_name, b.first_name, b.student_number = "Petit", "Jules", "00123499"
    b.save()
    durand = StudentFactory(
        last_name="Durand", first_name=FORMULA, student_number="00123401", programme=geo
    )
    bernard = StudentFactory(
        last_name="Bernard", first_name="Paul", student_number="00123400", programme=geo
    )
    scheme = SchemeFactory(name="Pix L2", academic_year=a.academic_year, programmes=[geo])
    notes = {
        "a": add_note(scheme, a, 530),
        "durand": add_note(scheme, durand, 300),
        "bernard": add_note(scheme, bernard, None),
    }
    services.publish_notes(scheme, geo, by=people["staff"])
    notes["b"] = add_note(scheme, b, 480)  # after the publication: not published
    for note in notes.values():
        note.refresh_from_db()
    return {"scheme": scheme, "programme": geo, "notes": notes, "people": people}
