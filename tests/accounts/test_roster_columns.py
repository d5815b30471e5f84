"""Issue 11: the roster's column reader (the bulk path) and the row reader agree on
every file: same rows, same warnings; an odd file goes to the row reader, which names
the row and the column."""

import re

import pytest

from pixoffice.accounts import roster_columns, roster_files
from pixoffice.accounts.roster_files import Rows
from pixoffice.tabular import read_table

PATTERN = re.compile(r"\d{8}|[A-Za-z]\d+")
HEADER = "Numéro étudiant;Nom;Prénom;Courriel;Formation;Groupe;Date de naissance;Tiers-temps\n"


def both(data: bytes):
    table = read_table(data)
    mapping = roster_files.guess_mapping(table.header)
    fast = roster_columns.validate_columns(table, mapping, number_pattern=PATTERN)
    rows, errors, warnings = roster_files.validate_rows(table, mapping, number_pattern=PATTERN)
    warnings.sort(key=lambda w: w.line)
    return fast, (rows, errors, warnings)


def as_lists(result):
    rows, errors, warnings = result
    return list(rows), [str(e) for e in errors], [str(w) for w in warnings]


def test_the_sample_roster_reads_the_same_both_ways(roster_bytes):
    fast, slow = both(roster_bytes)

    assert as_lists(fast) == as_lists(slow)
    assert len(fast[0]) == 96 and not fast[1]


@pytest.mark.parametrize(
    "lines",
    [
        # guarded names, homonyms sharing an address, a number of an unusual shape
        [
            "21000001;'-Dupont;'=Léa;a@etu.fr;L2 SED;'+TD1;01/02/2003;33%",
            "21000002;Martin;Léo;A@etu.fr;L2 SED;TD1;2003-02-01;Oui",
            "2299;Bernard;Zoé;;L2 SED;;;",
            "E1234;Petit;Max;z@etu.fr;L2 Histoire;TD2;;0,33",
        ],
        # quoted cells, one over two lines
        ['21000001;"Du; pont";Léa;;L2 SED;;;', '21000002;"Mar\ntin";Léo;;L2 SED;;;'],
        # short rows, a blank line
        ["21000001;Dupont;Léa;;L2 SED", "", "21000002;Martin;Léo;;L2 SED;TD1"],
    ],
)
def test_odd_but_valid_files_read_the_same_both_ways(lines):
    fast, slow = both((HEADER + "\n".join(lines) + "\n").encode())

    assert as_lists(fast) == as_lists(slow)
    assert not fast[1]


@pytest.mark.parametrize(
    "line",
    [
        ";Dupont;Léa;;L2 SED;;;",  # empty number
        "21000001;Dupont;Léa;;L2 SED;;;",  # repeated number (with the first row)
        "21000009;;Léa;;L2 SED;;;",  # empty name
        "21000009;Dupont;Léa;pas-une-adresse;L2 SED;;;",
        "21000009;Dupont;Léa;;L2 SED;;31/02/2004;",
        "21000009;Dupont;Léa;;L2 SED;;01/01/1850;",
        "21000009;Dupont;Léa;;L2 SED;;;beaucoup",
        "21000009;Dupont;Léa;;L2 SED;;;;",
        "21000/09;Dupont;Léa;;L2 SED;;;",
    ],
)
def test_a_bad_row_is_named_by_the_row_reader(line):
    data = (HEADER + "21000001;Martin;Léo;;L2 SED;;;\n" + line + "\n").encode()

    fast, slow = both(data)

    assert as_lists(fast) == as_lists(slow)
    assert fast[1] == [] or all(e.line == 3 for e in fast[1])


def test_rows_are_made_only_when_read():
    rows = Rows(
        [2, 3, 4],
        {name: ["x", "y", "z"] for name in roster_files.ROW_FIELDS},
    )
    picked = rows.take([0, 2])

    assert len(picked) == 2
    assert [r.line for r in picked] == [2, 4]
    assert picked.column("last_name") == ["x", "z"]
    assert [r.student_number for r in picked[:1]] == ["x"]
    assert rows.take(range(3)) is rows


def test_a_clean_file_never_goes_through_the_row_reader(roster_bytes, monkeypatch):
    def row_by_row(*args, **kwargs):
        raise AssertionError("the row reader was used")

    monkeypatch.setattr(roster_files, "validate_rows", row_by_row)
    table = read_table(roster_bytes)

    rows, errors, _warnings = roster_columns.validate_columns(
        table, roster_files.guess_mapping(table.header), number_pattern=PATTERN
    )

    assert (len(rows), errors) == (96, [])
