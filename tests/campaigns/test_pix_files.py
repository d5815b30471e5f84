"""Pix Orga result exports: the sample files, time zones, variants and a bad-file corpus."""

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from campaigns.pix_files import (
    ASSESSMENT,
    PROFILES_COLLECTION,
    Framework,
    RowError,
    parse_pix_export,
)
from pixoffice.tabular import FileRefused, to_xlsx_bytes

DATA = Path(__file__).parents[1] / "data"
CODES = ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1")
CODES += ("3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1", "5.2")
NAMES = (
    "Mener une recherche et une veille d’information",
    "Gérer des données",
    "Traiter des données",
    "Interagir",
    "Partager et publier",
    "Collaborer",
    "S’insérer dans le monde numérique",
    "Développer des documents textuels",
    "Développer des documents multimedia",
    "Adapter les documents à leur finalité",
    "Programmer",
    "Sécuriser l’environnement numérique",
    "Protéger les données personnelles et la vie privée",
    "Protéger la santé, le bien-être et l’environnement",
    "Résoudre des problèmes techniques",
    "Construire un environnement numérique",
)
FRAMEWORK = Framework(tuple(zip(CODES, NAMES, strict=True)), max_level=7)
NEW_DATE = "Date et heure de l'envoi (Europe/Paris)"
NOT_PIX = "Ce fichier n'est pas un export de résultats Pix Orga."


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def parse_sample(name: str, **options):
    return parse_pix_export((DATA / name).read_bytes(), FRAMEWORK, **options)


def by_identifier(parsed) -> dict[str, list]:
    rows: dict[str, list] = {}
    for row in parsed.rows:
        rows.setdefault(row.identifier, []).append(row)
    return rows


def values(row) -> dict:
    data = dataclasses.asdict(row)
    data.pop("line")
    return data


# -- a small generator of exports, written the way Pix writes them ---------------------


def profiles_header(*, managed=True, external="Numéro étudiant", date=NEW_DATE, names=NAMES):
    header = ["Nom de l'organisation", "ID Campagne", "Code", "Nom de la campagne"]
    header += ["Nom du Participant", "Prénom du Participant"]
    header += ["Groupe", "Numéro Étudiant"] if managed else []
    header += [external] if external else []
    header += ["Envoi (O/N)", date, "Nombre de pix total", "Certifiable (O/N)"]
    header += ["Nombre de compétences certifiables"]
    for name in names:
        header += [f"Niveau pour la compétence {name}", f"Nombre de pix pour la compétence {name}"]
    return header


def profile_row(number, when="15/01/2026 02:04", *, code="URRTVG494", levels=None, pix=None,
                total=None, managed=True, external=True, shared="Oui"):  # fmt: skip
    """A row of ``profiles_header()``: 16 competences at level 2 / 17 pix by default."""
    cells = ["Université de Exemple", 574354, code, "Pix L1 2025-2026", "Martin", "Léa"]
    cells += ["L1 Info TD1", number] if managed else []
    cells += [number] if external else []
    if when is None:
        return [*cells, "Non", *["NA"] * 36]
    levels = levels or [2] * 16
    pix = pix or [min(level * 8 + 1, 56) for level in levels]
    pairs = [value for pair in zip(levels, pix, strict=True) for value in pair]
    count = sum(level > 0 for level in levels)
    total = sum(pix) if total is None else total
    return [*cells, shared, when, total, "Oui" if count >= 5 else "Non", count, *pairs]


def pix_csv(header, rows, *, delimiter=";", newline="\n", bom=True, encoding="utf-8") -> bytes:
    """Strings quoted, digits-and-dashes bare, as the Pix serializer does."""

    def cell(value) -> str:
        text = str(value)
        return text if re.fullmatch(r"[0-9-]+", text) else '"' + text.replace('"', '""') + '"'

    lines = [delimiter.join(cell(value) for value in row) for row in [header, *rows]]
    text = ("\ufeff" if bom else "") + newline.join(lines) + newline
    return text.encode(encoding)


def parse_rows(rows, header=None, **options):
    data = pix_csv(header or profiles_header(), rows)
    return parse_pix_export(data, FRAMEWORK, **options)


def refusal(data: bytes, **options) -> str:
    with pytest.raises(FileRefused) as error:
        parse_pix_export(data, FRAMEWORK, **options)
    return str(error.value)


def error_texts(parsed) -> list[str]:
    return [str(error) for error in parsed.errors]


# -- the sample files ---------------------------------------------------------------------


def test_profiles_sup_sample_counts_rows_identifiers_and_shares():
    parsed = parse_sample("profiles-collection-sup.csv")

    assert parsed.kind == PROFILES_COLLECTION
    assert parsed.errors == []
    assert len(parsed.rows) == 41
    assert len(by_identifier(parsed)) == 40
    assert sum(not row.shared for row in parsed.rows) == 10
    assert parsed.codes == {"URRTVG494"}
    assert parsed.external_id_label == "Numéro étudiant"
    assert parsed.has_student_number is True
    assert (parsed.encoding, parsed.delimiter, len(parsed.header)) == ("utf-8-sig", ";", 46)
    assert [row.line for row in parsed.rows] == list(range(2, 43))


def test_profiles_sup_sample_not_shared_rows_have_no_results():
    parsed = parse_sample("profiles-collection-sup.csv")
    not_shared = [row for row in parsed.rows if not row.shared]

    assert len(not_shared) == 10
    for row in not_shared:
        assert (row.competences, row.total_pix, row.shared_at) == ({}, None, None)
        assert (row.certifiable, row.certifiable_count) == (None, None)
    assert not_shared[0].identifier == "21706792"


def test_profiles_sup_sample_two_sendings_convert_paris_time_to_utc():
    rows = by_identifier(parse_sample("profiles-collection-sup.csv"))["21093462"]

    assert [(row.line, row.shared, row.shared_at) for row in rows] == [
        (29, True, utc(2025, 11, 24, 8, 55)),  # 24/11/2025 09:55 Paris (UTC+1)
        (30, True, utc(2026, 3, 15, 9, 7)),  # 15/03/2026 10:07 Paris, before summer time
    ]
    assert [row.total_pix for row in rows] == [112, 136]


def test_profiles_sup_sample_row_values_exactly_as_in_file():
    (row,) = by_identifier(parse_sample("profiles-collection-sup.csv"))["22143366"]

    assert (row.last_name, row.first_name, row.group) == ("David", "Mathis", "M1 MEEF")
    assert (row.student_number, row.external_id, row.code) == ("22143366", "22143366", "URRTVG494")
    assert row.shared_at == utc(2026, 1, 15, 1, 4)
    assert (row.total_pix, row.certifiable, row.certifiable_count) == (250, True, 15)
    assert row.competences == {
        "1.1": [1, 9], "1.2": [2, 17], "1.3": [2, 16], "2.1": [1, 9],
        "2.2": [1, 10], "2.3": [3, 24], "2.4": [0, 6], "3.1": [2, 22],
        "3.2": [2, 19], "3.3": [1, 13], "3.4": [1, 9], "4.1": [1, 10],
        "4.2": [2, 20], "4.3": [1, 14], "5.1": [3, 28], "5.2": [3, 24],
    }  # fmt: skip
    assert (row.progression, row.mastery_rate, row.stage, row.badges) == (None, None, None, {})


def test_profiles_sup_sample_group_guard_stripped_and_zeros_kept():
    parsed = parse_sample("profiles-collection-sup.csv")
    rows = by_identifier(parsed)

    assert rows["E189966"][0].group == "+Remise à niveau"  # "'+Remise à niveau" in the file
    assert [row.group for row in parsed.rows].count("+Remise à niveau") == 4
    assert {"08360265", "05650255", "04899459"} <= set(rows)
    assert rows["08360265"][0].student_number == "08360265"


def test_profiles_sup_sample_certifiable_flags_parsed_not_recomputed():
    parsed = parse_sample("profiles-collection-sup.csv")
    rows = by_identifier(parsed)

    assert (rows["22400488"][0].certifiable, rows["22400488"][0].certifiable_count) == (False, 4)
    assert (rows["22054400"][0].certifiable, rows["22054400"][0].certifiable_count) == (False, 3)
    assert [row.certifiable for row in parsed.rows].count(True) == 29
    assert rows["22086349"][0].competences["1.1"] == [7, 56]  # level 7 is open


def test_profiles_external_id_sample_matches_sup_row_by_row():
    sup = parse_sample("profiles-collection-sup.csv")
    external = parse_sample("profiles-collection-external-id.csv")

    assert external.errors == []
    assert (external.has_student_number, external.external_id_label) == (False, "Numéro étudiant")
    assert len(external.rows) == 41
    assert len(external.header) == 44
    for ext_row, sup_row in zip(external.rows, sup.rows, strict=True):
        assert (ext_row.student_number, ext_row.group) == ("", "")
        assert ext_row.external_id == sup_row.external_id == ext_row.identifier
        assert (ext_row.shared, ext_row.shared_at) == (sup_row.shared, sup_row.shared_at)
        assert (ext_row.total_pix, ext_row.competences) == (sup_row.total_pix, sup_row.competences)
        assert (ext_row.certifiable, ext_row.certifiable_count) == (
            sup_row.certifiable,
            sup_row.certifiable_count,
        )


def test_profiles_excel_cp1252_sample_gives_same_rows_as_sup():
    sup = parse_sample("profiles-collection-sup.csv")
    excel = parse_sample("profiles-collection-excel-cp1252.csv")

    assert excel.encoding == "cp1252"
    assert excel.header == sup.header
    assert [values(row) for row in excel.rows] == [values(row) for row in sup.rows]
    assert (excel.codes, excel.external_id_label, excel.errors) == (
        sup.codes,
        "Numéro étudiant",
        [],
    )


def test_assessment_sample_counts_and_columns():
    parsed = parse_sample("assessment.csv")

    assert parsed.kind == ASSESSMENT
    assert parsed.errors == []
    assert len(parsed.rows) == 42
    assert len(by_identifier(parsed)) == 40
    assert sum(not row.shared for row in parsed.rows) == 3
    assert parsed.codes == {"ZPJJUD566"}
    assert (parsed.external_id_label, parsed.has_student_number) == ("Numéro étudiant", True)
    assert {row.stage_count for row in parsed.rows} == {3}
    assert {tuple(row.badges) for row in parsed.rows} == {
        ("Bases du tableur", "Recherche documentaire")
    }
    assert all(row.total_pix is None and row.certifiable is None for row in parsed.rows)


def test_assessment_sample_shared_row_ratios_with_decimal_comma():
    (row,) = by_identifier(parse_sample("assessment.csv"))["21678821"]

    assert (row.last_name, row.group) == ("N'Diaye", "L3 Éco-Gestion")
    assert (row.progression, row.mastery_rate, row.stage) == (1.0, 0.48, 1)
    assert row.started_at == utc(2025, 11, 12, 15, 39)
    assert row.shared_at == utc(2025, 11, 12, 16, 25)
    assert row.badges == {"Bases du tableur": False, "Recherche documentaire": True}
    assert list(row.competences) == ["1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "4.1", "4.2", "5.1"]
    assert row.competences["1.1"] == [0.18, 11, 2]
    assert row.competences["3.1"] == [0.82, 11, 9]
    assert row.competences["4.1"] == [1.0, 3, 3]


def test_assessment_sample_not_shared_row_keeps_progression_only():
    rows = by_identifier(parse_sample("assessment.csv"))
    (row,) = rows["22303355"]

    assert (row.shared, row.shared_at, row.progression) == (False, None, 0.573)
    assert row.started_at == utc(2025, 9, 25, 5, 14)
    assert (row.mastery_rate, row.stage, row.competences) == (None, None, {})
    assert row.badges == {"Bases du tableur": None, "Recherche documentaire": None}
    assert rows["02001508"][0].student_number == "02001508"
    assert rows["02444059"][0].external_id == "02444059"
    assert rows["E251883"][0].group == "+Remise à niveau"
    assert [row.shared for row in rows["21366755"]] == [True, True]


# -- time zones ------------------------------------------------------------------------------


def test_shared_at_daylight_saving_changes_convert_to_right_utc_instants():
    parsed = parse_rows(
        [
            profile_row("21000001", "29/03/2026 01:30"),  # still winter time (UTC+1)
            profile_row("21000001", "29/03/2026 03:30"),  # summer time (UTC+2)
            profile_row("21000001", "25/10/2026 02:30"),  # happens twice: the first one
            profile_row("21000001", "25/10/2026 03:30"),  # winter time again
            profile_row("21000001", "02/03/2019 00:04"),  # the Pix test: 2019-03-01T23:04:05Z
        ]
    )

    assert [row.shared_at for row in parsed.rows] == [
        utc(2026, 3, 29, 0, 30),
        utc(2026, 3, 29, 1, 30),
        utc(2026, 10, 25, 0, 30),
        utc(2026, 10, 25, 2, 30),
        utc(2019, 3, 1, 23, 4),
    ]


def test_old_date_header_with_iso_date_accepted_as_utc_day():
    header = profiles_header(date="Date de l'envoi")
    parsed = parse_rows([profile_row("21000001", "2019-03-01")], header)

    assert parsed.errors == []
    assert parsed.rows[0].shared_at == utc(2019, 3, 1)


# -- accepted variants -----------------------------------------------------------------------


def test_comma_delimiter_crlf_cp1252_without_bom_read_like_pix_file():
    rows = [profile_row("21000001"), profile_row("21000002", None)]
    data = pix_csv(profiles_header(), rows, delimiter=",", newline="\r\n", bom=False,
                   encoding="cp1252")  # fmt: skip

    parsed = parse_pix_export(data, FRAMEWORK)

    assert (parsed.delimiter, parsed.encoding, parsed.errors) == (",", "cp1252", [])
    assert [values(row) for row in parsed.rows] == [values(row) for row in parse_rows(rows).rows]


def test_xlsx_resaved_export_gives_same_rows_as_csv():
    sample = (DATA / "profiles-collection-sup.csv").read_text(encoding="utf-8-sig")
    table = [line.split(";") for line in sample.splitlines()]
    cells = [[cell.strip('"') for cell in line] for line in table]

    parsed = parse_pix_export(to_xlsx_bytes(cells[0], cells[1:]), FRAMEWORK)

    assert (parsed.encoding, parsed.delimiter, parsed.errors) == ("xlsx", "", [])
    expected = parse_sample("profiles-collection-sup.csv").rows
    assert [values(row) for row in parsed.rows] == [values(row) for row in expected]


def test_unquoted_cells_and_older_competence_names_matched():
    names = list(NAMES)
    names[8] = "Développer des documents multimédia"
    names[15] = "Évoluer dans un environnement numérique"
    names[0] = "MENER UNE RECHERCHE  et une veille d'information"
    header = profiles_header(names=names)
    levels = [1] * 15 + [6]
    lines = [";".join(header), ";".join(map(str, profile_row("21000001", levels=levels)))]

    parsed = parse_pix_export("\n".join(lines).encode(), FRAMEWORK)

    assert parsed.errors == []
    assert parsed.rows[0].competences["5.2"] == [6, 49]
    assert parsed.rows[0].competences["3.2"] == [1, 9]
    assert parsed.rows[0].total_pix == 15 * 9 + 49


def test_external_id_label_given_picks_that_column():
    header = profiles_header(managed=False, external="Mail Perso")
    header.insert(6, "hobby")  # a column of the organisation's own learner import
    row = profile_row("'=lea@exemple.fr", managed=False)  # Pix guards a leading =
    row.insert(6, "pétanque")

    guessed = parse_rows([row], header)
    named = parse_rows([row], header, external_id_label="hobby")

    assert (guessed.external_id_label, guessed.rows[0].external_id) == (
        "Mail Perso",
        "=lea@exemple.fr",
    )
    assert (named.external_id_label, named.rows[0].external_id) == ("hobby", "pétanque")


def test_managed_student_number_alone_is_the_identifier():
    header = profiles_header(external=None)
    parsed = parse_rows([profile_row("02000001", external=False)], header)

    assert (parsed.has_student_number, parsed.external_id_label) == (True, None)
    assert (parsed.rows[0].student_number, parsed.rows[0].external_id) == ("02000001", "")


# -- refused files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"\xef\xbb\xbf", "Le fichier est vide."),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "Le fichier n'est ni un CSV ni un classeur XLSX (contenu binaire). "
            "Enregistrez-le au format CSV ou XLSX.",
        ),
        (
            pix_csv(profiles_header(), [profile_row("21000001")]).replace(b";", b"|"),
            "Impossible de trouver les colonnes : la première ligne doit contenir les en-têtes "
            "séparés par « ; » (ou « , »).",
        ),
        (
            b"a|b|c\n1|2|3\n",
            "Impossible de trouver les colonnes : la première ligne doit contenir les en-têtes "
            "séparés par « ; » (ou « , »).",
        ),
        (
            pix_csv(profiles_header(), []),
            "Le fichier ne contient aucune participation sous les en-têtes.",
        ),
        (
            (DATA / "roster-students.csv").read_bytes(),
            f"{NOT_PIX} On n'y trouve ni la colonne « Envoi (O/N) » (collecte de profils) "
            "ni la colonne « Partage (O/N) » (évaluation).",
        ),
    ],
    ids=["empty", "bom-only", "png", "pipes", "pipes-short", "header-only", "roster"],
)
def test_unreadable_file_refused_in_french(data, message):
    assert refusal(data) == message


def test_file_over_max_bytes_refused():
    data = pix_csv(profiles_header(), [profile_row(f"{21000000 + n}") for n in range(20)])

    assert len(data) == 6956
    assert refusal(data, max_bytes=2048) == "Le fichier fait 7 ko ; la taille maximale est 2 ko."
    assert len(parse_pix_export(data, FRAMEWORK, max_bytes=len(data)).rows) == 20


def test_missing_required_column_refused_naming_it():
    header = profiles_header()
    rows = [profile_row("21000001")]
    envoi = header.index("Envoi (O/N)")
    data = pix_csv(
        header[:envoi] + header[envoi + 1 :], [row[:envoi] + row[envoi + 1 :] for row in rows]
    )

    # a Pix export with a column missing: says which, not that it is no Pix export
    assert refusal(data) == "Colonne obligatoire absente : « Envoi (O/N) »."


def test_missing_competence_columns_refused_naming_them():
    header = profiles_header()[:-2]
    data = pix_csv(header, [profile_row("21000001")[:-2]])

    assert refusal(data) == (
        "Colonnes obligatoires absentes : « Niveau pour la compétence Construire un "
        "environnement numérique », « Nombre de pix pour la compétence Construire un "
        "environnement numérique »."
    )


def test_unknown_competence_refused_naming_column():
    names = [*NAMES[:15], "Jongler avec les octets"]
    data = pix_csv(profiles_header(names=names), [profile_row("21000001")])

    assert refusal(data) == (
        "Compétence inconnue dans la colonne « Niveau pour la compétence Jongler avec les "
        "octets » : elle ne fait pas partie du référentiel Pix."
    )


def test_no_identifier_column_refused():
    header = profiles_header(managed=False, external=None)

    assert refusal(pix_csv(header, [profile_row("x", managed=False, external=False)])) == (
        "Ce fichier ne contient aucune colonne d'identifiant (« Numéro Étudiant » ou "
        "identifiant externe de la campagne) : impossible de rattacher les résultats "
        "aux étudiants."
    )


# -- row errors ------------------------------------------------------------------------------


def test_non_numeric_pix_reported_with_line_and_column():
    rows = [profile_row(f"2100000{n}") for n in range(5)]
    rows.append(profile_row("21000009", total="abc"))

    parsed = parse_rows(rows)

    assert error_texts(parsed) == [
        "Ligne 7 : « abc » n'est pas un nombre entier (colonne « Nombre de pix total »)."
    ]
    assert parsed.errors[0] == RowError(
        7, "« abc » n'est pas un nombre entier (colonne « Nombre de pix total »).",
        "Nombre de pix total",
    )  # fmt: skip
    assert [row.line for row in parsed.rows] == [2, 3, 4, 5, 6]


def test_level_and_pix_out_of_range_reported_per_cell():
    levels = [2, 9, *[2] * 14]
    pix = [17, 17, 57, *[17] * 13]
    parsed = parse_rows(
        [profile_row("21000001", levels=levels, pix=pix), profile_row("21000002", total=897)]
    )

    assert parsed.rows == []
    assert error_texts(parsed) == [
        "Ligne 2 : la valeur 9 n'est pas entre 0 et 7 "
        "(colonne « Niveau pour la compétence Gérer des données »).",
        "Ligne 2 : la valeur 57 n'est pas entre 0 et 56 "
        "(colonne « Nombre de pix pour la compétence Traiter des données »).",
        "Ligne 3 : la valeur 897 n'est pas entre 0 et 896 (colonne « Nombre de pix total »).",
    ]


def test_duplicated_rows_reported_on_later_line():
    parsed = parse_rows(
        [
            profile_row("21000001", "01/12/2025 10:00"),
            profile_row("21000001", "01/12/2025 10:00"),
            profile_row("21000002", None),
            profile_row("21000002", None),
            profile_row("21000001", "02/12/2025 10:00"),  # a second sending: fine
            profile_row("21000002", "02/12/2025 10:00"),  # shared next to not shared: fine
        ]
    )

    # identical in every cell: the same sending, kept once and named as a warning
    assert error_texts(parsed) == []
    assert [str(w) for w in parsed.warnings] == [
        "Ligne 3 : ligne identique à la ligne 2 (même envoi) : importée une seule fois.",
        "Ligne 5 : ligne identique à la ligne 4 (même envoi) : importée une seule fois.",
    ]
    assert [row.line for row in parsed.rows] == [2, 4, 6, 7]


def test_same_participant_and_date_with_other_cells_is_refused_naming_both_lines():
    parsed = parse_rows(
        [
            profile_row("21000001", "01/12/2025 10:00"),
            profile_row("21000001", "01/12/2025 10:00", levels=[3] * 16),
        ]
    )

    assert error_texts(parsed) == [
        "Ligne 3 : même participant et même date que la ligne 2 (identifiant « 21000001 », "
        "envoyée à la même date) mais des cellules différentes : gardez la bonne ligne."
    ]
    assert parsed.warnings == []


def test_blank_identifiers_reported():
    parsed = parse_rows([profile_row("21000001"), profile_row("")])

    assert error_texts(parsed) == [
        "Ligne 3 : aucun identifiant : « Numéro Étudiant » et « Numéro étudiant » vides."
    ]


def test_two_campaign_codes_in_one_file_reported():
    parsed = parse_rows([profile_row("21000001"), profile_row("21000002", code="QWERTY456")])

    assert parsed.codes == {"URRTVG494", "QWERTY456"}
    assert error_texts(parsed) == [
        "Ligne 3 : code de campagne « QWERTY456 » différent de « URRTVG494 » (ligne 2) : "
        "un fichier ne doit contenir qu'une campagne (colonne « Code »)."
    ]


def test_bad_share_cells_and_short_row_reported():
    parsed = parse_rows(
        [
            profile_row("21000001", shared="Peut-être"),
            profile_row("21000002", "NA"),
            profile_row("21000003", "31/02/2026 10:00"),
            profile_row("21000004")[:20],
        ]
    )

    assert parsed.rows == []
    assert error_texts(parsed) == [
        "Ligne 2 : « Peut-être » n'est ni « Oui » ni « Non » (colonne « Envoi (O/N) »).",
        f"Ligne 3 : participation envoyée sans date (colonne « {NEW_DATE} »).",
        "Ligne 4 : date « 31/02/2026 10:00 » illisible, attendu JJ/MM/AAAA HH:MM "
        f"(colonne « {NEW_DATE} »).",
        "Ligne 5 : la ligne a 20 cellules au lieu de 46.",
    ]


def test_assessment_bad_ratio_reported():
    sample = (DATA / "assessment.csv").read_bytes().decode("utf-8-sig")
    data = sample.replace(";0,48;0,18;", ";1,48;0,18;", 1).replace(";0,45;0,27;", ";0,45;x;", 1)

    parsed = parse_pix_export(data.encode(), FRAMEWORK)

    assert len(parsed.rows) == 40
    assert error_texts(parsed) == [
        "Ligne 2 : la valeur 1,48 n'est pas entre 0 et 1 "
        "(colonne « % maitrise de l'ensemble des acquis du profil »).",
        "Ligne 3 : « x » n'est pas un nombre décimal (colonne « % de maitrise des acquis "
        "de la compétence Mener une recherche et une veille d’information »).",
    ]


def test_assessment_older_headers_give_same_rows():
    sample = (DATA / "assessment.csv").read_bytes().decode("utf-8-sig")
    header, rest = sample.split("\n", 1)
    for new, old in [
        ("Date et heure de début (Europe/Paris)", "Date de début"),
        ("Date et heure du partage (Europe/Paris)", "Date du partage"),
        ('"Parcours"', '"Nom du Profil Cible"'),
    ]:
        header = header.replace(new, old)

    parsed = parse_pix_export(f"{header}\n{rest}".encode(), FRAMEWORK)

    assert parsed.errors == []
    expected = parse_sample("assessment.csv").rows
    assert [values(row) for row in parsed.rows] == [values(row) for row in expected]
