import csv
import datetime as dt
import io
import json

import pytest

from certification.models import CertificationResult
from tests.factories import StudentFactory
from tests.factories.certification import SessionFactory

pytestmark = pytest.mark.django_db

# what the sample gives (tests/data/certification-results.csv, with the sample roster):
# 40 rows; 32 identifiers are roster students; 4 identifiers (E…) are not; 4 rows have
# an empty « Identifiant Externe » and no roster student of that name and birth date.
EXPECTED = {
    "candidates": 40,
    "matched": 32,
    "unmatched": 8,
    "statuses": {"Validée": 32, "Non obtenue": 4, "Annulée": 4},
    "errors": [],
}


@pytest.fixture
def roster(data_dir):
    text = (data_dir / "roster-students.csv").read_text("utf-8-sig")
    for row in csv.DictReader(io.StringIO(text), delimiter=";"):
        StudentFactory(
            student_number=row["Numéro étudiant"],
            last_name=row["Nom"],
            first_name=row["Prénom"],
            birth_date=dt.datetime.strptime(row["Date de naissance"], "%d/%m/%Y").date(),  # noqa: DTZ007
        )


@pytest.fixture
def sample(data_dir):
    return str(data_dir / "certification-results.csv")


def run_json(command, *args):
    code, out, _err = command("import_certification_results", *args, "--json")
    return code, json.loads(out)


def test_the_sample_imports_with_the_counts_of_its_readme(roster, sample, command):
    code, summary = run_json(command, sample)

    assert code == 0
    assert {k: summary[k] for k in EXPECTED} == EXPECTED
    assert summary["created"] == 40
    assert CertificationResult.objects.count() == 40
    assert CertificationResult.objects.filter(student__isnull=True).count() == 8  # kept
    assert set(
        CertificationResult.objects.filter(
            student__isnull=True, external_id__startswith="E"
        ).values_list("external_id", flat=True)
    ) == {"E458432", "E624117", "E736838", "E867242"}


def test_importing_the_same_file_again_changes_nothing(roster, sample, command):
    run_json(command, sample)
    before = list(CertificationResult.objects.order_by("pk").values())

    code, summary = run_json(command, sample)

    assert (code, summary["created"], summary["changed"], summary["unchanged"]) == (0, 0, 0, 40)
    after = list(CertificationResult.objects.order_by("pk").values())
    assert [{**r, "imported_at": None} for r in after] == [
        {**r, "imported_at": None} for r in before
    ]


def test_dry_run_writes_nothing(roster, sample, command):
    code, summary = run_json(command, sample, "--dry-run")

    assert code == 0 and summary["matched"] == 32
    assert not CertificationResult.objects.exists()


def test_name_and_birth_date_match_when_the_id_is_empty(sample, command):
    student = StudentFactory(
        student_number="99000001",
        last_name="DE LA FONTAINE",
        first_name="Anne Sophie",
        birth_date=dt.date(2001, 5, 18),
    )

    run_json(command, sample)

    assert CertificationResult.objects.get(certification_number=4002414).student == student


def test_results_attach_to_the_session_of_that_pix_number(roster, sample, command):
    session = SessionFactory(pix_session_number=198695)

    run_json(command, sample, "--session", "198695")

    assert session.results.count() == 40


def test_a_file_of_another_session_is_refused_with_exit_1(roster, sample, command):
    code, summary = run_json(command, sample, "--session", "1")

    assert code == 1
    assert summary["errors"][0] == {
        "row": 2,
        "column": "Session",
        "message": "la ligne est de la session 198695, pas de la session 1 (colonne « Session »).",
    }
    assert not CertificationResult.objects.exists()


def test_a_file_that_is_not_results_is_refused_with_exit_1(data_dir, command):
    code, summary = run_json(command, str(data_dir / "roster-students.csv"))

    assert code == 1
    assert (
        "n'est pas un export de résultats de certification Pix" in summary["errors"][0]["message"]
    )


def test_plain_output_in_french(roster, sample, command):
    code, out, _ = command("import_certification_results", sample)

    assert code == 0
    assert "40 candidat·e·s, 32 reconnu·e·s, 8 non reconnu·e·s" in out
    assert "Validée : 32, Non obtenue : 4, Annulée : 4" in out
