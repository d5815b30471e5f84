"""Student roster files: map columns, validate every row, report errors by line.

Knows no Django: a ``Table`` (see ``pixoffice.tabular``) and a column mapping in,
validated ``RosterRow`` objects and ``RowError`` objects with line numbers out.
"""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

from pixoffice.tabular import RowError, Table, unguard

from .roster_headers import (  # noqa: F401 (the module's public names, read by callers)
    FIELDS,
    PRESETS,
    REQUIRED,
    guess_mapping,
    missing_fields,
    normalise_header,
)

EXTRA_TIME_WORDS = {
    "oui": 33,
    "o": 33,
    "tiers-temps": 33,
    "tiers temps": 33,
    "tierstemps": 33,  # what "tiers temps" is once parse_extra_time removed the spaces
    "1/3": 33,
    "non": 0,
    "n": 0,
    "": 0,
}
STUDENT_NUMBER_RE = re.compile(r"^[0-9A-Za-z-]{1,20}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
INE_RE = re.compile(r"^[0-9A-Za-z]{11}$")
INSEE_RE = re.compile(r"^(?:\d{5}|2[AB]\d{3}|99)$")  # 99: born abroad
POSTAL_RE = re.compile(r"^\d{5}$")
ABROAD = "99"
SEX_WORDS = {
    "": "",
    "m": "M",
    "h": "M",
    "1": "M",
    "masculin": "M",
    "homme": "M",
    "f": "F",
    "2": "F",
    "feminin": "F",
    "femme": "F",
    "mme": "F",
    "madame": "F",
    "mlle": "F",
    "monsieur": "M",
    "mr": "M",
}


@dataclass
class RosterRow:
    line: int
    student_number: str
    last_name: str
    first_name: str
    programme: str
    email: str = ""
    group: str = ""
    birth_date: dt.date | None = None
    birth_place: str = ""
    birth_name: str = ""
    ine: str = ""
    extra_time_percent: int = 0
    sex: str = ""
    birth_insee_code: str = ""
    birth_postal_code: str = ""
    birth_country: str = ""

    def values(self) -> dict:
        data = asdict(self)
        data.pop("line")
        return data


ROW_FIELDS = [f.name for f in fields(RosterRow) if f.name != "line"]


class Rows(Sequence):
    """Validated rows kept column by column (what the bulk path writes); a
    ``RosterRow`` is made only when one is read (a preview shows 500 at most)."""

    def __init__(self, lines: list[int], columns: dict[str, list], indexes=None):
        self.lines = lines
        self.columns = columns
        self.indexes = range(len(lines)) if indexes is None else indexes

    @classmethod
    def of(cls, rows: list[RosterRow]) -> "Rows":
        return cls(
            [r.line for r in rows], {name: [getattr(r, name) for r in rows] for name in ROW_FIELDS}
        )

    def take(self, indexes: list[int]) -> "Rows":
        """The rows at these positions of this selection."""
        if indexes == range(len(self)):
            return self
        return Rows(self.lines, self.columns, [self.indexes[i] for i in indexes])

    def column(self, name: str) -> list:
        values = self.columns[name]
        if isinstance(self.indexes, range) and len(self.indexes) == len(values):
            return values
        return list(map(values.__getitem__, self.indexes))

    def line_column(self) -> list[int]:
        if isinstance(self.indexes, range) and len(self.indexes) == len(self.lines):
            return self.lines
        return list(map(self.lines.__getitem__, self.indexes))

    def __len__(self) -> int:
        return len(self.indexes)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        index = self.indexes[position]
        return RosterRow(
            self.lines[index], **{name: self.columns[name][index] for name in ROW_FIELDS}
        )


def parse_extra_time(raw: str) -> int:
    text = raw.strip().lower().replace(" ", "").replace("\u202f", "")
    if text in EXTRA_TIME_WORDS:
        return EXTRA_TIME_WORDS[text]
    text = text.removesuffix("%").replace(",", ".")
    value = float(text)  # ValueError is reported by the caller
    if 0 < value < 1:  # 0.33 written as a fraction
        value *= 100
    if not 0 <= value <= 100:
        raise ValueError(raw)
    return round(value)


FRENCH_DATE_RE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def parse_date(raw: str) -> dt.date:
    if match := FRENCH_DATE_RE.match(raw.strip()):  # the usual JJ/MM/AAAA, without strptime
        day, month, year = map(int, match.groups())
        return dt.date(year, month, day)  # ValueError for 31/02
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(raw.strip(), fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise ValueError(raw)


def validate_rows(
    table: Table,
    mapping: dict[str, int],
    *,
    number_pattern: re.Pattern | None = None,
    number_shape: str = "",
) -> tuple[list[RosterRow], list[RowError], list[RowError]]:
    """Validate every row; never stop at the first error.

    Returns (rows, errors, warnings). Warnings do not refuse the file: two students
    sharing one email (homonyms in a real extract) are imported, but neither can
    activate an account by that email until the address is corrected; a number that
    does not have the university's usual shape (``number_pattern``, described by
    ``number_shape``) is kept as it is, with a warning naming its line.
    """
    rows: list[RosterRow] = []
    errors: list[RowError] = []
    warnings: list[RowError] = []
    missing = missing_fields(mapping)
    if missing:
        return (
            [],
            [RowError(0, "Colonnes obligatoires non trouvées : " + ", ".join(missing) + ".")],
            [],
        )
    if not table.rows:
        return (
            [],
            [RowError(0, "Le fichier ne contient aucune ligne d'étudiant sous les en-têtes.")],
            [],
        )
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    today = dt.date.today()  # noqa: DTZ011 (only bounds a birth date)
    for cells, line in zip(table.rows, table.line_numbers, strict=True):

        def cell(field: str, cells=cells) -> str:
            index = mapping.get(field)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        row_errors: list[RowError] = []

        def fail(field: str, message: str, line=line, row_errors=row_errors):
            row_errors.append(RowError(line, message, FIELDS[field][0]))

        number = unguard(cell("student_number"))
        if not number:
            fail("student_number", "le numéro étudiant est vide.")
        elif not STUDENT_NUMBER_RE.match(number):
            fail(
                "student_number",
                f"numéro étudiant « {number} » invalide (chiffres et lettres seulement).",
            )
        elif number in seen_numbers:
            fail(
                "student_number",
                f"le numéro étudiant {number} figure déjà ligne {seen_numbers[number]}.",
            )
        else:
            seen_numbers[number] = line
            if number_pattern is not None and not number_pattern.fullmatch(number):
                warnings.append(
                    RowError(
                        line,
                        f"le numéro étudiant « {number} » n'a pas la forme attendue "
                        f"({number_shape or number_pattern.pattern}) : importé tel quel.",
                        FIELDS["student_number"][0],
                    )
                )
        for field in ("last_name", "first_name", "programme"):
            if not cell(field):
                fail(field, f"la colonne « {FIELDS[field][0]} » est vide.")
        email = cell("email").lower()
        if email:
            if not EMAIL_RE.match(email):
                fail("email", f"adresse électronique « {email} » invalide.")
            elif email in seen_emails:
                warnings.append(
                    RowError(
                        line,
                        f"l'adresse {email} figure aussi ligne {seen_emails[email]} : ces étudiants "
                        "devront activer leur compte avec leur numéro après correction de l'adresse.",
                        "Courriel",
                    )
                )
            else:
                seen_emails[email] = line
        birth_date = None
        if raw := cell("birth_date"):
            try:
                birth_date = parse_date(raw)
            except ValueError:
                fail("birth_date", f"date de naissance « {raw} » illisible (attendu JJ/MM/AAAA).")
            else:
                if not dt.date(1900, 1, 1) <= birth_date < today:
                    fail("birth_date", f"date de naissance « {raw} » impossible.")
        extra = 0
        raw_extra = cell("extra_time_percent")
        try:
            extra = parse_extra_time(raw_extra)
        except ValueError:
            fail(
                "extra_time_percent",
                f"tiers-temps « {raw_extra} » illisible (attendu 33% ou vide).",
            )
        birth = _birth_place(cell, fail)
        ine = cell("ine").upper()
        if ine and not INE_RE.match(ine):
            fail("ine", f"INE « {ine} » invalide (11 caractères).")
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            RosterRow(
                line=line,
                student_number=number,
                last_name=unguard(cell("last_name")),
                first_name=unguard(cell("first_name")),
                programme=cell("programme"),
                email=email,
                group=unguard(cell("group")),
                birth_date=birth_date,
                birth_place=cell("birth_place"),
                birth_name=cell("birth_name"),
                ine=ine,
                extra_time_percent=extra,
                **birth,
            )
        )
    return rows, errors, warnings


def parse_sex(raw: str) -> str:
    """``M`` or ``F`` (also H, Homme, Femme, 1 or 2 as INSEE numbers them); ``ValueError``."""
    return SEX_WORDS[normalise_header(raw).rstrip(".")]


def birth_place_error(insee: str, postal: str, country: str) -> tuple[str, str] | None:
    """(field, French message) of the first birth-place value Pix Certif would refuse."""
    if insee and not INSEE_RE.match(insee):
        return (
            "birth_insee_code",
            f"code INSEE « {insee} » invalide (5 caractères, ou 99 pour une naissance à "
            "l'étranger).",
        )
    if postal and not POSTAL_RE.match(postal):
        return "birth_postal_code", f"code postal « {postal} » invalide (5 chiffres)."
    if len(country) > 80:
        return "birth_country", f"pays de naissance de {len(country)} caractères (80 au plus)."
    if insee == ABROAD and normalise_header(country) == "france":
        return (
            "birth_country",
            "le code INSEE 99 désigne une naissance à l'étranger mais le pays est « France ».",
        )
    return None


def _birth_place(cell, fail) -> dict:
    """The Pix Certif columns of one row (sex and birth place), checked."""
    raw_sex = cell("sex")
    try:
        sex = parse_sex(raw_sex)
    except KeyError:
        fail("sex", f"sexe « {raw_sex} » invalide (attendu M ou F).")
        sex = ""
    insee = cell("birth_insee_code").upper()
    postal = cell("birth_postal_code")
    country = cell("birth_country")
    if error := birth_place_error(insee, postal, country):
        fail(*error)
    return {
        "sex": sex,
        "birth_insee_code": insee,
        "birth_postal_code": postal,
        "birth_country": country,
    }
