import pytest

from pixoffice.tabular import FileRefused, read_table, to_csv_bytes, to_xlsx_bytes


def test_read_table_cp1252_crlf_comma_gives_same_cells_as_utf8():
    text = "Numéro étudiant,Nom\r\n0123,Hélène\r\n"

    cp1252 = read_table(text.encode("cp1252"))
    utf8 = read_table(("\ufeff" + text).encode("utf-8"))

    assert cp1252.rows == utf8.rows == [["0123", "Hélène"]]
    assert (cp1252.encoding, utf8.encoding, cp1252.delimiter) == ("cp1252", "utf-8-sig", ",")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"   \n", "Le fichier est vide."),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00",
            "Le fichier n'est ni un CSV ni un classeur XLSX (contenu binaire). "
            "Enregistrez-le au format CSV ou XLSX.",
        ),
        (b"PK\x03\x04garbage", "Le fichier ressemble à un classeur Excel mais il est abîmé."),
        (
            b"un seul mot\nrien\n",
            "Impossible de trouver les colonnes : la première ligne doit contenir "
            "les en-têtes séparés par « ; » (ou « , »).",
        ),
    ],
)
def test_read_table_refuses_unreadable_files_in_french(data, message):
    with pytest.raises(FileRefused) as error:
        read_table(data)
    assert str(error.value) == message


def test_read_table_refuses_a_file_over_the_size_limit():
    with pytest.raises(FileRefused) as error:
        read_table(b"a;b\n" + b"1;2\n" * 300_000, max_bytes=1_048_576)
    assert str(error.value) == "Le fichier fait 1,1 Mo ; la taille maximale est 1 Mo."


def test_csv_export_has_bom_semicolons_and_neutralised_formulas():
    data = to_csv_bytes(
        ["Nom", "Note"], [['=HYPERLINK("x")', 12.5], ["@SUM(A1)", None], ["+33 6", 3]]
    )

    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").split("\r\n") == [
        "Nom;Note",
        '"\'=HYPERLINK(""x"")";12,5',
        "'@SUM(A1);",
        "'+33 6;3",
        "",
    ]


def test_xlsx_export_keeps_text_zeros_and_neutralises_formulas():
    import io

    from openpyxl import load_workbook

    data = to_xlsx_bytes(["Numéro", "Nom"], [["03201590", "=1+1"]])

    sheet = load_workbook(io.BytesIO(data)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Numéro", "Nom"],
        ["03201590", "'=1+1"],
    ]


def test_a_value_starting_with_a_line_feed_is_neutralised_in_csv_and_xlsx():
    import io

    from openpyxl import load_workbook

    csv_data = to_csv_bytes(["Nom"], [["\n=1+1"]])
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(["Nom"], [["\n=1+1"]]))).active

    assert csv_data.decode("utf-8-sig") == 'Nom\r\n"\'\n=1+1"\r\n'
    assert sheet["A2"].value == "'\n=1+1"


def test_xlsx_headers_are_neutralised_like_cells():
    import io

    from openpyxl import load_workbook

    data = to_xlsx_bytes(['=HYPERLINK("https://exemple.fr")', "\n@x", "Nom"], [])

    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == ['\'=HYPERLINK("https://exemple.fr")', "'\n@x", "Nom"]
    assert all(c.data_type == "s" for c in sheet[1])
