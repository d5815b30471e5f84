"""The column reader of clean profiles exports gives exactly the row reader's result,
and hands anything unusual over to it."""

import pytest

from campaigns import pix_files
from tests.campaigns.generate import profiles_export
from tests.campaigns.test_pix_files import (
    DATA,
    FRAMEWORK,
    error_texts,
    parse_rows,
    pix_csv,
    profile_row,
    profiles_header,
)


@pytest.fixture
def readers(monkeypatch):
    """Parse a file twice: as the application does, then with the row reader only;
    says which reader the application used."""
    used = []
    column_reader = pix_files.read_clean_profiles

    def spy(*args):
        used.append(column_reader(*args))
        return used[-1]

    def parse(data: bytes, **options):
        monkeypatch.setattr(pix_files, "read_clean_profiles", spy)
        fast = pix_files.parse_pix_export(data, FRAMEWORK, **options)
        monkeypatch.setattr(pix_files, "read_clean_profiles", lambda *args: False)
        slow = pix_files.parse_pix_export(data, FRAMEWORK, **options)
        return fast, slow, used[-1]

    return parse


@pytest.mark.parametrize(
    "name",
    [
        "profiles-collection-sup.csv",
        "profiles-collection-external-id.csv",
        "profiles-collection-excel-cp1252.csv",
    ],
)
def test_the_sample_files_read_by_columns_or_rows_give_the_same_rows(readers, name):
    fast, slow, by_columns = readers((DATA / name).read_bytes())

    assert fast.rows == slow.rows
    assert (fast.codes, fast.errors) == (slow.codes, slow.errors)
    if name == "profiles-collection-sup.csv":  # the file exactly as Pix writes it
        assert by_columns


def test_a_generated_export_is_read_by_columns_with_the_row_readers_values(readers):
    fast, slow, by_columns = readers(profiles_export(300, code="BENCH0001"))

    assert by_columns
    assert len(fast.rows) == len(slow.rows) > 300  # some people sent twice
    assert fast.rows == slow.rows
    shared = next(row for row in fast.rows if row.shared)
    assert shared.results.startswith('{"1.1":[') and shared.competences["5.2"][1] >= 0
    assert next(row for row in fast.rows if not row.shared).results == "{}"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda row: row.__setitem__(14, " 5"), "a padded number"),
        (lambda row: row.__setitem__(9, "oui"), "« oui » in lower case"),
        (lambda row: row.__setitem__(4, "'=Martin"), "a guarded name"),
    ],
)
def test_valid_but_unusual_cells_go_to_the_row_reader_and_give_the_same_rows(readers, change, why):
    rows = [profile_row(f"2100000{n}") for n in range(4)]
    change(rows[2])

    fast, slow, by_columns = readers(pix_csv(profiles_header(), rows))

    assert fast.rows == slow.rows and not fast.errors, why
    if why == "a guarded name":  # the column reader removes the guard itself
        assert by_columns and fast.rows[2].last_name == "=Martin"
    else:
        assert not by_columns


def test_a_bad_cell_is_named_by_the_row_reader():
    rows = [profile_row(f"2100000{n}") for n in range(5)]
    rows[3][15] = "57"  # pix of the first competence

    parsed = parse_rows(rows)

    assert error_texts(parsed) == [
        "Ligne 5 : la valeur 57 n'est pas entre 0 et 56 (colonne « Nombre de pix pour la "
        "compétence Mener une recherche et une veille d’information »)."
    ]


def test_a_cell_over_two_lines_keeps_the_line_numbers_of_the_file(readers):
    rows = [profile_row(f"2100000{n}") for n in range(4)]
    rows[0][3] = "Pix L1\n2025-2026"  # the campaign name, quoted over two lines
    rows[3][15] = "57"

    fast, _slow, _by_columns = readers(pix_csv(profiles_header(), rows))

    assert [row.line for row in fast.rows] == [2, 4, 5]
    assert error_texts(fast)[0].startswith("Ligne 6 : la valeur 57")


def test_blank_lines_are_skipped_and_counted(readers):
    rows = [profile_row(f"2100000{n}") for n in range(3)]
    data = pix_csv(profiles_header(), rows).replace(b"\n", b"\n\n", 2)  # after header and row 2

    fast, slow, by_columns = readers(data)

    assert by_columns and fast.rows == slow.rows
    assert [row.line for row in fast.rows] == [3, 5, 6]
