"""The limits of pixoffice.tabular.limits, on small files made for each one."""

import io
import zipfile

import pytest

from pixoffice.tabular import FileRefused, format_size, read_table, to_xlsx_bytes

HEADER = "Numéro étudiant;Nom;Prénom;Formation\n"


def refusal(data: bytes) -> str:
    with pytest.raises(FileRefused) as error:
        read_table(data)
    return str(error.value)


def test_too_many_columns_names_the_line_and_the_limit():
    data = (HEADER + "1;A;B;C\n" + "2" + ";x" * 300 + "\n").encode()

    assert refusal(data) == "Ligne 3 : 301 colonnes ; la limite est de 200 colonnes."


def test_too_long_a_cell_names_its_line_and_column():
    data = (HEADER + "1;" + "A" * 5000 + ";B;C\n").encode()

    assert refusal(data) == (
        "Ligne 2, colonne 2 : la cellule fait 5 000 caractères ; "
        "la limite est de 4 096 caractères par cellule."
    )


def test_nul_in_the_first_4_kb_after_the_header_gives_its_line():
    data = (HEADER + "1;A;B;C\n2;A\x00;B;C\n").encode()

    assert refusal(data).startswith("Ligne 3 : le fichier contient un caractère nul (octet 0)")


def test_a_real_binary_file_is_still_called_binary():
    assert refusal(b"\x00\x01\x02 rien\n") == (
        "Le fichier n'est ni un CSV ni un classeur XLSX (contenu binaire). "
        "Enregistrez-le au format CSV ou XLSX."
    )


def test_twenty_thousand_rows_of_46_columns_pass():
    header = ";".join(f"c{i}" for i in range(46)) + "\n"
    row = ";".join("12" for _ in range(46)) + "\n"

    table = read_table((header + row * 20_000).encode())

    assert (len(table.rows), len(table.header)) == (20_000, 46)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_xlsx_compressed_more_than_100_to_1_is_refused_before_openpyxl(monkeypatch):
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("read"))
    data = _zip({"xl/worksheets/sheet1.xml": b"<row/>" * 1_000_000})  # 6 MB → 12 kB

    assert refusal(data).startswith(
        "Le fichier XLSX dépasse le taux de compression maximal de 100 pour 1 "
        "(« xl/worksheets/sheet1.xml » : "
    )


def test_xlsx_with_too_many_columns_or_too_long_a_cell_is_refused_by_line():
    wide = to_xlsx_bytes(["a", "b"], [["1", "2"], [str(i) for i in range(250)]])
    long = to_xlsx_bytes(["a", "b"], [["1", "B" * 5000]])

    assert refusal(wide) == "Ligne 3 : 250 colonnes ; la limite est de 200 colonnes."
    assert refusal(long).startswith("Ligne 2, colonne 2 : la cellule fait 5 000 caractères")


def test_xlsx_row_limit(monkeypatch):
    monkeypatch.setattr("pixoffice.tabular.reading.MAX_ROWS", 3)
    data = to_xlsx_bytes(["a"], [[str(i)] for i in range(4)])

    assert refusal(data) == "Le fichier a plus de 3 lignes sous les en-têtes ; c'est la limite."


def test_format_size_says_go_above_1024_mo():
    assert format_size(1_181_116_006) == "1,1 Go"
