"""``manage.py export_grades`` and ``manage.py import_grid``."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command, load_command_class

from grading import exports
from grading.models import ExportLayout, Grid
from pixoffice.accounts.models import AcademicYear
from tests.factories import ComponentFactory, SchemeFactory
from tests.grading.published import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people, programmes):
    return build(people, programmes)


def run_cli(capsys, *argv) -> tuple[int, str]:
    """Run a command as ``manage.py`` does (``CommandError`` → stderr, exit code). The
    command closes the database connections at the end: not the test's."""
    command = load_command_class("grading", argv[0])
    with (
        mock.patch("django.core.management.base.connections"),
        pytest.raises(SystemExit) as exit_,
    ):
        command.run_from_argv(["manage.py", *argv])
    return exit_.value.code, capsys.readouterr().err


# --- export_grades -------------------------------------------------------------------------


def test_export_to_a_csv_file(command, world, tmp_path):
    path = tmp_path / "notes.csv"

    code, out, err = command("export_grades", "--programme", "L2 Géographie", "--output", str(path))

    assert (code, err) == (0, "")
    assert (
        out
        == f"3 note(s) publiée(s) de L2 Géographie (Pix L2 (2026-2027)) écrite(s) dans {path}.\n"
    )
    assert path.read_bytes() == exports.sis_table(world["scheme"], world["programme"]).csv()


def test_export_csv_to_stdout_is_the_file_as_text(command, world):
    code, out, _ = command("export_grades", "--programme", "l2 géographie")

    assert code == 0
    assert out.split("\r\n") == [
        "\ufeffNuméro étudiant;Nom;Prénom;Note /20;Résultat;Code absence",
        "00123400;Bernard;Paul;;;ABI",
        '00123401;Durand;"\'=HYPERLINK(""https://exemple.org"",""clic"")";5,5;Non validé;',
        "00123456;Martin;Léa;14,5;Validé;",
        "",
    ]


def test_export_xlsx_with_a_layout(command, world, tmp_path):
    from openpyxl import load_workbook

    ExportLayout.objects.create(
        name="Apogée", columns=[["student_number", "COD_ETU"], ["note", "NOT"]]
    )
    path = tmp_path / "notes.xlsx"

    code, _, _ = command(
        "export_grades",
        "--programme",
        "L2 Géographie",
        "--format",
        "xlsx",
        "--layout",
        "apogée",
        "--output",
        str(path),
    )

    assert code == 0
    rows = [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]
    assert rows == [["COD_ETU", "NOT"], ["00123400", None], ["00123401", 5.5], ["00123456", 14.5]]


def test_xlsx_needs_an_output_file(world):
    with pytest.raises(CommandError, match=r"^Le format XLSX est binaire : indiquez le fichier"):
        call_command("export_grades", "--programme", "L2 Géographie", "--format", "xlsx")


def test_unknown_programme_exits_1_with_a_french_message(world, capsys):
    code, err = run_cli(capsys, "export_grades", "--programme", "L3 Chimie")

    assert code == 1
    assert err == (
        "CommandError: Formation inconnue : « L3 Chimie ». Formations : « L2 Géographie », "
        "« L2 Histoire », « L2 SED », « L2 Sociologie ».\n"
    )


def test_unknown_layout_exits_1(world, capsys):
    code, err = run_cli(
        capsys, "export_grades", "--programme", "L2 Géographie", "--layout", "Inconnu"
    )

    assert (code, err) == (
        1,
        "CommandError: Format d'export inconnu : « Inconnu ». Formats : aucune.\n",
    )


def test_several_schemes_with_notes_need_scheme_and_are_listed(world, people, capsys):
    other = SchemeFactory(
        name="Pix L2 bis",
        academic_year=world["scheme"].academic_year,
        programmes=[world["programme"]],
    )
    from grading import services
    from tests.grading.published import add_note

    add_note(other, people["student_a"].student, 701)
    services.publish_notes(other, world["programme"], by=people["staff"])
    first = world["scheme"]

    code, err = run_cli(capsys, "export_grades", "--programme", "L2 Géographie")

    assert code == 1
    assert err.splitlines() == [
        "CommandError: Plusieurs modalités couvrent la formation L2 Géographie : choisissez-en "
        "une avec --scheme. Modalités :",
        f"  {first.pk} : Pix L2 (2026-2027), 3 note(s) publiée(s)",
        f"  {other.pk} : Pix L2 bis (2026-2027), 1 note(s) publiée(s)",
    ]


def test_scheme_by_name_or_number(command, world, people):
    SchemeFactory(
        name="Pix L2 bis",
        academic_year=world["scheme"].academic_year,
        programmes=[world["programme"]],
    )

    by_name = command("export_grades", "--programme", "L2 Géographie", "--scheme", "pix l2 bis")
    by_number = command(
        "export_grades", "--programme", "L2 Géographie", "--scheme", str(world["scheme"].pk)
    )

    assert by_name[1] == "\ufeffNuméro étudiant;Nom;Prénom;Note /20;Résultat;Code absence\r\n"
    assert by_name[2] == (
        "Aucune note publiée pour L2 Géographie (Pix L2 bis (2026-2027)) : "
        "le fichier n'a que les en-têtes.\n"
    )
    assert by_number[1].count("\r\n") == 4


def test_only_the_scheme_with_published_notes_is_chosen(command, world):
    SchemeFactory(  # covers it, nothing published
        name="Pix L2 bis",
        academic_year=world["scheme"].academic_year,
        programmes=[world["programme"]],
    )

    code, out, _ = command("export_grades", "--programme", "L2 Géographie")

    assert code == 0
    assert "00123456;Martin;Léa;14,5;Validé;" in out


def test_unknown_scheme_exits_1(world, capsys):
    code, err = run_cli(
        capsys, "export_grades", "--programme", "L2 Géographie", "--scheme", "Autre"
    )

    assert code == 1
    assert err.splitlines() == [
        "CommandError: Aucune modalité « Autre » ne couvre la formation L2 Géographie. Modalités :",
        f"  {world['scheme'].pk} : Pix L2 (2026-2027), 3 note(s) publiée(s)",
    ]


def test_programme_without_scheme_exits_1(world, capsys):
    code, err = run_cli(capsys, "export_grades", "--programme", "L2 Histoire")

    assert (code, err) == (
        1,
        "CommandError: Aucune modalité de notation ne couvre la formation L2 Histoire.\n",
    )


# --- import_grid ---------------------------------------------------------------------------


@pytest.fixture
def year_2023(db):
    return AcademicYear.objects.create(
        name="2023-2024", start=dt.date(2023, 9, 1), end=dt.date(2024, 8, 31)
    )


def test_import_the_strasbourg_grid_then_again_changes_nothing(command, year_2023, data_dir):
    path = str(data_dir / "unistra-2023-2024.csv")
    args = ("import_grid", path, "--name", "Unistra", "--year", "2023-2024")

    first = command(*args)
    second = command(*args)

    assert first == (
        0,
        "Grille « Unistra » 2023-2024, version 1 : 41 paliers, barème 20 — créée.\n",
        "",
    )
    assert second == (
        0,
        "Grille « Unistra » 2023-2024, version 1 : 41 paliers, barème 20 — inchangée.\n",
        "",
    )
    grid = Grid.objects.get()
    assert (grid.version, len(grid.steps), grid.steps[1], grid.steps[-1]) == (
        1,
        41,
        ["65", "0.5"],
        ["701", "20"],
    )


def test_a_changed_file_updates_an_unused_grid_in_place(command, year_2023, data_dir, tmp_path):
    data = (data_dir / "unistra-2023-2024.csv").read_text(encoding="utf-8")
    path = tmp_path / "grille.csv"
    path.write_text(data, encoding="utf-8")
    command("import_grid", str(path), "--name", "Unistra", "--year", "2023-2024")
    path.write_text(data.replace("701;20", "700;20"), encoding="utf-8")

    code, out, _ = command("import_grid", str(path), "--name", "Unistra", "--year", "2023-2024")

    assert code == 0
    assert out.endswith(
        "version 1 : 41 paliers, barème 20 — modifiée ; les notes sont recalculées.\n"
    )
    assert Grid.objects.get().steps[-1] == ["700", "20"]


def test_a_bad_grid_file_exits_1_names_the_line_and_writes_nothing(
    command, year_2023, data_dir, tmp_path
):
    data = (data_dir / "unistra-2023-2024.csv").read_text(encoding="utf-8")
    path = tmp_path / "grille.csv"
    path.write_text(data.replace("150;1,5", "150;un et demi"), encoding="utf-8")

    code, out, err = command("import_grid", str(path), "--name", "Unistra", "--year", "2023-2024")

    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "Ligne 5 : note « un et demi » illisible.",
        "Fichier refusé : rien n'a été écrit.",
    ]
    assert not Grid.objects.exists()


def test_import_grid_unknown_year_exits_1(data_dir, capsys, db):
    code, err = run_cli(
        capsys,
        "import_grid",
        str(data_dir / "unistra-2023-2024.csv"),
        "--name",
        "Unistra",
        "--year",
        "1999-2000",
    )

    assert (code, err) == (
        1,
        "CommandError: Année universitaire inconnue : 1999-2000 (format AAAA-AAAA).\n",
    )


def test_import_grid_with_an_explicit_scale(command, year_2023, tmp_path):
    path = tmp_path / "grille.csv"
    path.write_text("score;note\n0;0\n300;5\n600;10\n", encoding="utf-8")

    code, out, _ = command(
        "import_grid", str(path), "--name", "Sur 10", "--year", "2023-2024", "--scale", "10"
    )

    assert (code, out) == (
        0,
        "Grille « Sur 10 » 2023-2024, version 1 : 3 paliers, barème 10 — créée.\n",
    )


def test_import_grid_requires_the_year(db):
    with pytest.raises(CommandError, match="--year"):
        call_command("import_grid", "x.csv", "--name", "N", stdout=io.StringIO())


def test_a_grid_used_by_a_published_note_gets_a_new_version(
    command, world, year_2023, data_dir, tmp_path
):
    data = (data_dir / "unistra-2023-2024.csv").read_text(encoding="utf-8")
    path = tmp_path / "grille.csv"
    path.write_text(data, encoding="utf-8")
    command("import_grid", str(path), "--name", "Unistra", "--year", "2023-2024")
    used = Grid.objects.get()
    ComponentFactory(scheme=world["scheme"], label="Certification", grid=used, certification=True)
    path.write_text(data.replace("701;20", "700;20"), encoding="utf-8")

    code, out, _ = command("import_grid", str(path), "--name", "Unistra", "--year", "2023-2024")

    assert code == 0
    assert out == (
        "Grille « Unistra » 2023-2024, version 2 : 41 paliers, barème 20 — nouvelle version "
        "(la version 1 est utilisée par des notes publiées) ; les notes sont recalculées.\n"
    )
    assert [(g.version, g.steps[-1]) for g in Grid.objects.order_by("version")] == [
        (1, ["701", "20"]),
        (2, ["700", "20"]),
    ]
