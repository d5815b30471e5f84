import json

import pytest

from pixoffice.accounts.models import RosterImport, Student

pytestmark = pytest.mark.django_db


def test_import_roster_json_summary_then_idempotent(command, programmes, data_dir):
    path = str(data_dir / "roster-students.csv")

    dry = command("import_roster", path, "--dry-run", "--json")
    assert dry[0] == 0
    assert Student.objects.count() == 0
    first = command("import_roster", path, "--json")
    second = command("import_roster", path, "--json")

    summaries = [json.loads(r[1]) for r in (dry, first, second)]
    assert [
        (s["created"], s["updated"], s["unchanged"], s["absent"], s["errors"]) for s in summaries
    ] == [
        (96, 0, 0, 0, []),
        (96, 0, 0, 0, []),
        (0, 0, 96, 0, []),
    ]
    assert Student.objects.count() == 96
    assert RosterImport.objects.filter(status="applied").count() == 2


def test_import_roster_refused_file_exits_non_zero_and_writes_nothing(
    command, programmes, tmp_path
):
    path = tmp_path / "liste.csv"
    path.write_text(
        "Numéro étudiant;Nom;Prénom;Formation\n01;A;B;L2 SED\n02;;D;L2 SED\n", encoding="utf-8"
    )

    code, out, _ = command("import_roster", str(path), "--json")

    assert code == 1
    assert json.loads(out)["errors"] == [
        {"row": 3, "column": "Nom", "message": "la colonne « Nom » est vide."}
    ]
    assert Student.objects.count() == 0


def test_import_roster_text_output_names_the_row(command, programmes, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text("Numéro étudiant;Nom;Prénom;Formation\n01;A;B;L3 Chimie\n", encoding="utf-8")

    code, _, err = command("import_roster", str(path))

    assert code == 1
    assert err.splitlines() == [
        "Ligne 2 : formation « L3 Chimie » inconnue : un administrateur doit d'abord la créer.",
        "Fichier refusé : rien n'a été écrit.",
    ]
