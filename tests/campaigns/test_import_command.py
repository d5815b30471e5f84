import json

import pytest

from campaigns.models import ResultImport, Share

pytestmark = pytest.mark.django_db


def test_command_json_summary_then_reimport_changes_nothing(command, roster, campaign, data_dir):
    path = str(data_dir / "profiles-collection-sup.csv")

    dry = command("import_pix_results", path, "--dry-run", "--json")
    assert Share.objects.count() == 0
    first = command("import_pix_results", path, "--json", "--campaign", "urrtvg494")
    second = command("import_pix_results", path, "--json")

    keys = [
        "rows",
        "participants",
        "shares_created",
        "shares_unchanged",
        "not_shared",
        "unmatched",
        "errors",
    ]
    assert [code for code, _, _ in (dry, first, second)] == [0, 0, 0]
    assert [[json.loads(out)[k] for k in keys] for _, out, _ in (dry, first, second)] == [
        [41, 40, 31, 0, 10, 10, []],
        [41, 40, 31, 0, 10, 10, []],
        [41, 40, 0, 31, 10, 10, []],
    ]
    assert Share.objects.count() == 31
    assert ResultImport.objects.filter(status="applied").count() == 2


def test_command_refused_file_exits_non_zero_and_writes_nothing(
    command, roster, campaign, data_dir, tmp_path
):
    data = (data_dir / "profiles-collection-sup.csv").read_text(encoding="utf-8-sig")
    bad = data.replace(";250;", ";deux-cent-cinquante;", 1)
    path = tmp_path / "export.csv"
    path.write_text(bad, encoding="utf-8")

    code, out, _ = command("import_pix_results", str(path), "--json")

    assert code == 1
    assert json.loads(out)["errors"] == [
        {
            "row": 3,
            "column": "Nombre de pix total",
            "message": "« deux-cent-cinquante » n'est pas un nombre entier (colonne « Nombre de pix total »).",
        }
    ]
    assert Share.objects.count() == 0
    assert ResultImport.objects.count() == 0


def test_command_text_output(command, roster, campaign, data_dir):
    code, out, _ = command("import_pix_results", str(data_dir / "profiles-collection-sup.csv"))

    assert code == 0
    assert out.strip() == (
        "Campagne URRTVG494 : 41 lignes, 40 participants, 31 nouveaux envois, 0 déjà connus, "
        "10 sans envoi, 10 non rattachés."
    )
