"""Validate a clean roster column by column (the bulk path of a 20,000-row file).

Each column is checked with a few C-level calls (one regular expression over the
joined column, a set for duplicates, each distinct date or extra-time value parsed
once) instead of a Python function per cell. At the first odd cell — an error, an
apostrophe guard — the file is validated again row by row by
``roster_files.validate_rows``, which names the row and the column; both readers give
the same rows and warnings (``tests/accounts/test_roster_columns.py``). Knows no Django.
"""

import datetime as dt
import re
from itertools import zip_longest

from pixoffice.tabular import RowError, Table

from . import roster_files
from .roster_files import FIELDS, ROW_FIELDS, Rows

_NUMBERS_RE = re.compile(r"[0-9A-Za-z-]{1,20}(?:\n[0-9A-Za-z-]{1,20})*")
_TEXT_FIELDS = ("last_name", "first_name", "programme", "group", "birth_place", "birth_name")


class _Odd(Exception):
    """A cell the column reader does not decide: the row reader names it."""


def validate_columns(
    table: Table,
    mapping: dict[str, int],
    *,
    number_pattern: re.Pattern | None = None,
    number_shape: str = "",
) -> tuple[Rows, list[RowError], list[RowError]]:
    """``roster_files.validate_rows``, column by column when the file is clean."""
    if not roster_files.missing_fields(mapping) and table.rows:
        try:
            return _read_columns(table, mapping, number_pattern, number_shape)
        except _Odd:
            pass
    rows, errors, warnings = roster_files.validate_rows(
        table, mapping, number_pattern=number_pattern, number_shape=number_shape
    )
    return Rows.of(rows), errors, warnings


def _read_columns(table, mapping, number_pattern, number_shape):
    count = len(table.rows)
    transposed = list(zip_longest(*table.rows, fillvalue=""))

    def raw(field: str) -> list[str]:
        index = mapping.get(field)
        if index is None or index >= len(transposed):
            return [""] * count
        values = list(map(str.strip, transposed[index]))
        if "\n".join(values).count("\n") != count - 1:
            raise _Odd  # a quoted cell over several lines: the joined checks need one a row
        return values

    columns: dict[str, list] = {}
    numbers = raw("student_number")
    if not _NUMBERS_RE.fullmatch("\n".join(numbers)) or len(set(numbers)) != count:
        raise _Odd  # empty, invalid or repeated numbers (an apostrophe guard included)
    columns["student_number"] = numbers
    for field in _TEXT_FIELDS:
        values = raw(field)
        if field in ("last_name", "first_name", "programme") and not all(values):
            raise _Odd  # a required cell is empty
        if field in ("last_name", "first_name", "group") and "\n'" in "\n" + "\n".join(values):
            values = list(map(roster_files.unguard, values))
        columns[field] = values
    emails = "\n".join(raw("email")).lower().split("\n")
    given = list(filter(None, emails))
    if not all(map(roster_files.EMAIL_RE.match, given)):
        raise _Odd
    columns["email"] = emails
    columns["birth_date"] = _dates(raw("birth_date"))
    columns["extra_time_percent"] = _extra_times(raw("extra_time_percent"))
    ines = "\n".join(raw("ine")).upper().split("\n")
    if not all(map(roster_files.INE_RE.match, filter(None, ines))):
        raise _Odd
    columns["ine"] = ines
    _birth_columns(columns, raw)
    assert set(columns) == set(ROW_FIELDS)

    lines = table.line_numbers
    warnings: list[RowError] = []
    if number_pattern is not None:
        label = FIELDS["student_number"][0]
        for line, number, fits in zip(
            lines, numbers, map(number_pattern.fullmatch, numbers), strict=True
        ):
            if fits is None:
                warnings.append(
                    RowError(
                        line,
                        f"le numéro étudiant « {number} » n'a pas la forme attendue "
                        f"({number_shape or number_pattern.pattern}) : importé tel quel.",
                        label,
                    )
                )
    if len(set(given)) != len(given):
        seen: dict[str, int] = {}
        for line, email in zip(lines, emails, strict=True):
            if not email:
                continue
            if email in seen:
                warnings.append(
                    RowError(
                        line,
                        f"l'adresse {email} figure aussi ligne {seen[email]} : ces étudiants "
                        "devront activer leur compte avec leur numéro après correction de l'adresse.",
                        "Courriel",
                    )
                )
            else:
                seen[email] = line
    warnings.sort(key=lambda w: w.line)
    return Rows(list(lines), columns), [], warnings


def _dates(values: list[str]) -> list[dt.date | None]:
    """Each distinct date parsed once (a cohort has a few thousand birth dates)."""
    today = dt.date.today()  # noqa: DTZ011 (only bounds a birth date)
    parsed: dict[str, dt.date | None] = {"": None}
    for text in set(values) - {""}:
        try:
            date = roster_files.parse_date(text)
        except ValueError:
            raise _Odd from None
        if not dt.date(1900, 1, 1) <= date < today:
            raise _Odd
        parsed[text] = date
    return list(map(parsed.__getitem__, values))


def _extra_times(values: list[str]) -> list[int]:
    parsed: dict[str, int] = {}
    for text in set(values):
        try:
            parsed[text] = roster_files.parse_extra_time(text)
        except ValueError:
            raise _Odd from None
    return list(map(parsed.__getitem__, values))


def _birth_columns(columns: dict, raw) -> None:
    """Sex and birth place: each distinct value (or triple) checked once."""
    try:
        sexes = {text: roster_files.parse_sex(text) for text in set(raw("sex"))}
    except KeyError:
        raise _Odd from None
    texts = raw("sex")
    columns["sex"] = list(map(sexes.__getitem__, texts))
    insee = "\n".join(raw("birth_insee_code")).upper().split("\n")
    postal = raw("birth_postal_code")
    country = raw("birth_country")
    for triple in set(zip(insee, postal, country, strict=True)):
        if roster_files.birth_place_error(*triple):
            raise _Odd
    columns["birth_insee_code"] = insee
    columns["birth_postal_code"] = postal
    columns["birth_country"] = country
