"""The SIS export: only published notes, in files a French spreadsheet opens right."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from grading import exports
from grading.admin import ExportLayoutForm
from grading.models import ExportLayout
from tests.factories import StudentFactory
from tests.grading.published import FORMULA, add_note, build

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def world(people, programmes):
    return build(people, programmes)


def export_url(world, **params):
    query = {"programme": world["programme"].pk, **params}
    return (
        reverse("grading:export", args=[world["scheme"].pk])
        + "?"
        + "&".join(f"{key}={value}" for key, value in query.items())
    )


def test_csv_has_bom_semicolons_crlf_decimal_comma_and_only_published_notes(world):
    content = exports.sis_table(world["scheme"], world["programme"]).csv()

    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8").split("\r\n") == [
        "\ufeffNuméro étudiant;Nom;Prénom;Note /20;Résultat;Code absence",
        "00123400;Bernard;Paul;;;ABI",
        '00123401;Durand;"\'=HYPERLINK(""https://exemple.org"",""clic"")";5,5;Non validé;',
        "00123456;Martin;Léa;14,5;Validé;",
        "",
    ]
    assert b"Petit" not in content and b"00123499" not in content  # student B: unpublished


def test_csv_reads_back_as_the_spreadsheet_sees_it(world):
    content = exports.sis_table(world["scheme"], world["programme"]).csv()

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))

    assert rows[1:] == [
        ["00123400", "Bernard", "Paul", "", "", "ABI"],
        ["00123401", "Durand", "'" + FORMULA, "5,5", "Non validé", ""],
        ["00123456", "Martin", "Léa", "14,5", "Validé", ""],
    ]


def test_xlsx_keeps_numbers_as_text_and_notes_as_numbers(world):
    from openpyxl import load_workbook

    content = exports.sis_table(world["scheme"], world["programme"]).xlsx()

    sheet = load_workbook(io.BytesIO(content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [
        ["Numéro étudiant", "Nom", "Prénom", "Note /20", "Résultat", "Code absence"],
        ["00123400", "Bernard", "Paul", None, None, "ABI"],
        ["00123401", "Durand", "'" + FORMULA, 5.5, "Non validé", None],
        ["00123456", "Martin", "Léa", 14.5, "Validé", None],
    ]
    assert sheet["A4"].data_type == "s"
    assert sheet["D4"].data_type == "n"


def test_a_configured_layout_changes_the_columns_and_headers(world):
    layout = ExportLayout.objects.create(
        name="Apogée",
        columns=[
            ["ine", "INE"],
            ["student_number", "COD_ETU"],
            ["note", "NOT_ELP"],
            ["programme", "FORMATION"],
            ["group", "GROUPE"],
        ],
    )

    table = exports.sis_table(world["scheme"], world["programme"], layout)

    assert table.header == ["INE", "COD_ETU", "NOT_ELP", "FORMATION", "GROUPE"]
    assert table.rows == [
        ["", "00123400", None, "L2 Géographie", ""],
        ["", "00123401", Decimal("5.50"), "L2 Géographie", ""],
        ["0123456789A", "00123456", Decimal("14.50"), "L2 Géographie", "TD 2"],
    ]


def test_preset_note_header_follows_the_scheme_scale(world):
    scheme = world["scheme"]
    scheme.scale = Decimal(10)

    assert exports.columns_of(scheme)[3] == ("note", "Note /10")


def test_every_layout_field_has_a_cell():
    assert set(exports.CELLS) == set(ExportLayout.FIELDS)


@pytest.mark.parametrize("more", [0, 2])
def test_the_export_is_one_query(world, more, django_assert_num_queries):
    for score in range(more):
        add_note(
            world["scheme"],
            StudentFactory(programme=world["programme"]),
            400 + score,
            published=True,
        )

    with django_assert_num_queries(1):
        table = exports.sis_table(world["scheme"], world["programme"])

    assert len(table.rows) == 3 + more


def test_a_programme_without_published_notes_exports_the_header_only(world, programmes):
    world["scheme"].programmes.add(programmes["L2 Histoire"])

    table = exports.sis_table(world["scheme"], programmes["L2 Histoire"])

    assert table.rows == []


# --- the staff page ------------------------------------------------------------------------


def test_staff_download_the_csv(staff_client, world):
    response = staff_client.get(export_url(world, format="csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="notes-pix-l2-2026-2027-l2-geographie.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content == exports.sis_table(world["scheme"], world["programme"]).csv()


def test_staff_download_the_xlsx_with_a_layout(staff_client, world):
    layout = ExportLayout.objects.create(name="Court", columns=[["student_number", "NUM"]])

    response = staff_client.get(export_url(world, format="xlsx", layout=layout.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert response.content[:2] == b"PK"


@pytest.mark.parametrize(
    "params",
    [{"format": "doc"}, {"programme": ""}, {"programme": "999999"}, {"layout": "999999"}],
)
def test_bad_parameters_go_back_to_the_scheme_with_a_message(staff_client, world, params):
    response = staff_client.get(export_url(world, **params))

    assert response.status_code == 302
    assert response["Location"] == reverse("grading:scheme", args=[world["scheme"].pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Export impossible : choisissez une formation de la modalité et un format (CSV, XLSX ou PDF)."
    ]


def test_staff_of_another_programme_get_404(client, world):
    client.force_login(world["people"]["staff_other"])

    assert client.get(export_url(world, format="csv")).status_code == 404


def test_staff_of_another_programme_of_the_scheme_cannot_export_this_one(client, world, programmes):
    world["scheme"].programmes.add(programmes["L2 Histoire"])  # staff_other follows it
    client.force_login(world["people"]["staff_other"])

    response = client.get(export_url(world, format="csv"))

    assert response.status_code == 302
    assert b"Martin" not in response.content


def test_students_may_not_export(client, world):
    client.force_login(world["people"]["student_a"])

    assert client.get(export_url(world, format="csv")).status_code == 403


# --- the admin's layouts -------------------------------------------------------------------


def test_layout_form_names_every_faulty_column_in_french():
    form = ExportLayoutForm(
        data={
            "name": "SIS",
            "columns": '[["student_number", "NUM"], ["birthday", "NAISSANCE"], ["note", " "], '
            '["result", "NUM"], "note"]',
        }
    )

    assert not form.is_valid()
    fields = ", ".join(f"{k} ({v})" for k, v in ExportLayout.FIELDS.items())
    assert form.errors["columns"] == [
        f"Colonne 2 : champ « birthday » inconnu. Champs possibles : {fields}.",
        "Colonne 3 : l'en-tête est vide.",
        "Colonne 4 : l'en-tête « NUM » est déjà utilisé.",
        "Colonne 5 : écrivez [champ, en-tête], deux textes.",
    ]


def test_layout_form_refuses_an_empty_list():
    form = ExportLayoutForm(data={"name": "Vide", "columns": "[]"})

    assert not form.is_valid()
    assert form.errors["columns"] == [
        "Indiquez au moins une colonne : une liste de [champ, en-tête]."
    ]


def test_layout_form_saves_trimmed_columns():
    form = ExportLayoutForm(data={"name": "SIS", "columns": '[[" note ", " NOTE "]]'})

    assert form.is_valid(), form.errors
    assert form.save().columns == [["note", "NOTE"]]


def test_admin_pages_of_grading_open(client, world):
    client.force_login(world["people"]["admin"])
    scheme, note = world["scheme"], world["notes"]["a"]
    layout = ExportLayout.objects.create(name="SIS", columns=[["note", "NOTE"]])
    urls = [
        reverse("admin:grading_grid_changelist"),
        reverse("admin:grading_scheme_changelist"),
        reverse("admin:grading_scheme_add"),
        reverse("admin:grading_scheme_change", args=[scheme.pk]),
        reverse("admin:grading_note_changelist"),
        reverse("admin:grading_note_change", args=[note.pk]),
        reverse("admin:grading_notechange_changelist"),
        reverse("admin:grading_publication_changelist"),
        reverse("admin:grading_exportlayout_changelist"),
        reverse("admin:grading_exportlayout_change", args=[layout.pk]),
    ]

    assert [client.get(url).status_code for url in urls] == [200] * len(urls)


def test_admin_saves_a_layout_only_when_valid(client, world):
    client.force_login(world["people"]["admin"])
    url = reverse("admin:grading_exportlayout_add")

    refused = client.post(url, {"name": "SIS", "columns": '[["nom", "NOM"]]'})
    saved = client.post(url, {"name": "SIS", "columns": '[["last_name", "NOM"]]'})

    assert refused.status_code == 200
    assert "Colonne 1 : champ « nom » inconnu." in refused.content.decode()
    assert saved.status_code == 302
    assert ExportLayout.objects.get().columns == [["last_name", "NOM"]]


def test_admin_scheme_form_keeps_the_scheme_pages_checks(client, world):
    client.force_login(world["people"]["admin"])
    scheme = world["scheme"]
    data = {
        "name": "Pix L2",
        "academic_year": scheme.academic_year_id,
        "semester": "",
        "programmes": [world["programme"].pk],
        "combine": "sum",
        "scale": "20",
        "cap": "",
        "rounding": "none",
        "pass_mark": "25",
        "components-TOTAL_FORMS": "0",
        "components-INITIAL_FORMS": "0",
        "components-MIN_NUM_FORMS": "0",
        "components-MAX_NUM_FORMS": "1000",
    }
    url = reverse("admin:grading_scheme_change", args=[scheme.pk])

    refused = client.post(url, data)
    saved = client.post(url, {**data, "pass_mark": "12"})

    assert "La note de validation doit être comprise dans le barème." in refused.content.decode()
    assert saved.status_code == 302
    scheme.refresh_from_db()
    assert scheme.pass_mark == Decimal(12)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_layout_header_that_looks_like_a_formula_stays_text(world, fmt):
    from openpyxl import load_workbook

    layout = ExportLayout.objects.create(
        name="Piégée",
        columns=[["student_number", '=HYPERLINK("https://exemple.fr","x")'], ["note", "\n+1"]],
    )

    content = exports.sis_table(world["scheme"], world["programme"], layout).render(fmt)

    if fmt == "csv":
        header = next(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        assert all(cell.data_type == "s" for cell in sheet[1])
        header = [cell.value for cell in sheet[1]]
    assert header == ['\'=HYPERLINK("https://exemple.fr","x")', "'\n+1"]
