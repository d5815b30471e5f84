"""The Pix certification results CSV (pix-formats §4), current V3 and legacy headers.

No Django: bytes in, ``ResultRow``s and ``RowError``s (line, column, French message)
out. A file with any error is refused as a whole. Legacy files say ``Nombre de Pix``
instead of ``Score en Pix`` and ``Rejetée`` instead of ``Non obtenue``, and have no
``Type de certification`` or ``Niveau``. ``-`` means not applicable.
"""

import datetime as dt
from dataclasses import dataclass, field

from pixoffice.tabular import FileRefused, RowError, read_table, unguard

MAX_BYTES = 5 * 1024 * 1024
COMPETENCES = [
    "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1",
    "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1", "5.2",
]  # fmt: skip
NUMBER, FIRST, LAST, BIRTH = "Numéro de certification", "Prénom", "Nom", "Date de naissance"
STATUS, SCORE, LEGACY_SCORE = "Statut", "Score en Pix", "Nombre de Pix"
REQUIRED = [NUMBER, FIRST, LAST, BIRTH, STATUS]
# status label in the file → (key, label shown)
STATUSES = {
    "Validée": ("validated", "Validée"),
    "Non obtenue": ("rejected", "Non obtenue"),
    "Rejetée": ("rejected", "Non obtenue"),  # legacy wording
    "Annulée": ("cancelled", "Annulée"),
    "En erreur": ("error", "En erreur"),
    "Démarrée": ("started", "Démarrée"),
}
LABELS = dict(STATUSES.values())
COMMENT_COLUMNS = ["Commentaire jury pour l’organisation", "Commentaire jury pour l'organisation"]


@dataclass
class ResultRow:
    line: int
    certification_number: int
    first_name: str
    last_name: str
    birth_date: dt.date | None
    status: str  # a key of LABELS
    external_id: str = ""
    birth_place: str = ""
    kind: str = ""
    level: str = ""
    score: int | None = None
    competences: dict = field(default_factory=dict)
    comment: str = ""
    session_number: int | None = None
    centre: str = ""
    taken_on: dt.date | None = None

    @property
    def status_label(self) -> str:
        return LABELS[self.status]


@dataclass
class ParsedResults:
    rows: list[ResultRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    legacy: bool = False


class _Row:
    def __init__(self, header, cells, line, errors):
        self.values = dict(zip(header, cells, strict=False))
        self.line, self.errors = line, errors

    def text(self, column) -> str:
        return unguard(self.values.get(column, "").strip())

    def fail(self, column, message):
        self.errors.append(RowError(self.line, f"{message} (colonne « {column} »).", column))

    def integer(self, column, *, dash=True, required=False) -> int | None:
        value = self.text(column)
        if value == "" or (dash and value == "-"):
            if required:
                self.fail(column, "valeur manquante")
            return None
        try:
            return int(value)
        except ValueError:
            self.fail(column, f"« {value} » n'est pas un nombre entier")
            return None

    def date(self, column, *, required=False) -> dt.date | None:
        value = self.text(column)
        if not value:
            if required:
                self.fail(column, "date manquante")
            return None
        try:
            return dt.datetime.strptime(value, "%d/%m/%Y").date()  # noqa: DTZ007 (a date)
        except ValueError:
            self.fail(column, f"« {value} » n'est pas une date JJ/MM/AAAA")
            return None


def parse_results(data: bytes) -> ParsedResults:
    """Read the file; raises ``FileRefused`` when it is not a results file at all."""
    table = read_table(data, max_bytes=MAX_BYTES)
    header = table.header
    missing = [c for c in REQUIRED if c not in header]
    score_column = SCORE if SCORE in header else LEGACY_SCORE if LEGACY_SCORE in header else None
    if score_column is None:
        missing.append(SCORE)
    if missing:
        raise FileRefused(
            "Ce fichier n'est pas un export de résultats de certification Pix : "
            f"colonne(s) manquante(s) : {', '.join(f'« {c} »' for c in missing)}."
        )
    comment_column = next((c for c in COMMENT_COLUMNS if c in header), "")
    parsed = ParsedResults(legacy=score_column == LEGACY_SCORE)
    seen = {}
    for cells, line in zip(table.rows, table.line_numbers, strict=True):
        errors_before = len(parsed.errors)
        row = _Row(header, cells, line, parsed.errors)
        if len(cells) != len(header):
            parsed.errors.append(
                RowError(line, f"la ligne a {len(cells)} cellules au lieu de {len(header)}.")
            )
            continue
        number = row.integer(NUMBER, dash=False, required=True)
        status_text = row.text(STATUS)
        status = STATUSES.get(status_text)
        if status is None:
            row.fail(STATUS, f"statut inconnu « {status_text} »")
        result = ResultRow(
            line=line,
            certification_number=number or 0,
            first_name=row.text(FIRST),
            last_name=row.text(LAST),
            birth_date=row.date(BIRTH),
            status=status[0] if status else "",
            external_id=row.text("Identifiant Externe"),
            birth_place=row.text("Lieu de naissance"),
            kind=row.text("Type de certification"),
            level="" if row.text("Niveau") == "-" else row.text("Niveau"),
            score=row.integer(score_column),
            competences={c: row.integer(c) for c in COMPETENCES if c in header},
            comment=row.text(comment_column) if comment_column else "",
            session_number=row.integer("Session"),
            centre=row.text("Centre de certification"),
            taken_on=row.date("Date de passage de la certification"),
        )
        if number is not None and number in seen:
            row.fail(NUMBER, f"certification {number} déjà lue ligne {seen[number]}")
        elif number is not None:
            seen[number] = line
        if len(parsed.errors) == errors_before:
            parsed.rows.append(result)
    return parsed
