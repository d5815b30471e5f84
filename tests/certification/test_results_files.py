import datetime as dt

import pytest

from certification.results_files import parse_results
from pixoffice.tabular import FileRefused

BOM = "\ufeff"
LEGACY_HEADER = (
    '"Numéro de certification";"Prénom";"Nom";"Date de naissance";"Lieu de naissance";'
    '"Identifiant Externe";"Statut";"Nombre de Pix";"1.1";"1.2";'
    '"Commentaire jury pour l’organisation";"Session";"Centre de certification";'
    '"Date de passage de la certification"'
)


def legacy(*lines: str) -> bytes:
    return (BOM + "\n".join([LEGACY_HEADER, *lines])).encode()


def test_the_sample_reads_forty_rows_with_their_statuses(data_dir):
    parsed = parse_results((data_dir / "certification-results.csv").read_bytes())

    assert parsed.errors == []
    assert len(parsed.rows) == 40
    first = parsed.rows[0]
    assert (first.certification_number, first.external_id, first.score) == (
        4002409,
        "21466465",
        204,
    )
    assert first.birth_date == dt.date(2007, 3, 26)
    assert first.level == "Novice 2"
    assert first.competences["1.1"] == 4
    assert (first.session_number, first.taken_on) == (198695, dt.date(2026, 3, 12))
    cancelled = next(r for r in parsed.rows if r.status == "cancelled")
    assert cancelled.score is None and set(cancelled.competences.values()) == {None}


def test_legacy_headers_and_rejetee_are_read_as_non_obtenue():
    parsed = parse_results(
        legacy(
            '123;"Léa";"Roux";"01/02/2003";"Caen";"21000001";"Rejetée";0;"-";"-";;9;"C";"05/06/2023"'
        )
    )

    assert parsed.legacy
    row = parsed.rows[0]
    assert (row.status, row.status_label, row.score, row.level) == (
        "rejected",
        "Non obtenue",
        0,
        "",
    )


def test_bad_cells_are_named_by_line_and_column():
    parsed = parse_results(
        legacy(
            '123;"Léa";"Roux";"31/02/2003";"Caen";"";"Validée";"beaucoup";2;3;;9;"C";"05/06/2023"',
            '124;"Léo";"Roux";"01/02/2003";"Caen";"";"Perdue";100;2;3;;9;"C";"05/06/2023"',
            '123;"Léa";"Roux";"01/02/2003";"Caen";"";"Validée";100;2;3;;9;"C";"05/06/2023"',
        )
    )

    assert [(e.line, e.column) for e in parsed.errors] == [
        (2, "Date de naissance"),
        (2, "Nombre de Pix"),
        (3, "Statut"),
        (4, "Numéro de certification"),
    ]
    assert str(parsed.errors[1]) == (
        "Ligne 2 : « beaucoup » n'est pas un nombre entier (colonne « Nombre de Pix »)."
    )
    assert "statut inconnu « Perdue »" in parsed.errors[2].message
    assert "déjà lue ligne 2" in parsed.errors[3].message


def test_a_file_without_the_results_columns_is_refused():
    with pytest.raises(FileRefused, match="colonne\\(s\\) manquante\\(s\\) : « Statut »"):
        parse_results(
            b'"Num\xc3\xa9ro de certification";"Pr\xc3\xa9nom";"Nom";"Date de naissance";"Score en Pix"\n1;a;b;c;2'
        )
