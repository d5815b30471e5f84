"""Pix Orga campaign result exports: profiles collection and assessment.

Knows no Django: the uploaded bytes and the Pix framework in, a ``ParsedFile`` out.
Whole-file problems raise ``FileRefused`` (French message); row problems become
``RowError`` objects sorted by line, and the file must then be refused as a whole.
The formats are described in ``pix_layout``. A clean profiles-collection export (the
big ones) is read column by column (``pix_columns``); any other file, or a profiles
export with one odd cell, row by row here, which also says what is wrong and where.
"""

import csv
import datetime as dt
import io
from operator import gt, itemgetter

import orjson

from pixoffice.tabular import FileRefused, format_size, no_cyclic_gc, read_table, unguard
from pixoffice.tabular.limits import check_records, check_text, csv_error
from pixoffice.tabular.reading import decode_text, detect_kind, sniff_delimiter

from .pix_columns import read_clean_profiles
from .pix_layout import (
    ASSESSMENT,
    MIN_COLUMNS,
    NA_OR_EMPTY,
    NO_COLUMNS,
    PROFILES_COLLECTION,
    YES_NO,
    Framework,
    Layout,
    ParsedFile,
    ParsedRow,
    RowError,
    parse_pix_datetime,
)

__all__ = [
    "ASSESSMENT",
    "PROFILES_COLLECTION",
    "Framework",
    "ParsedFile",
    "ParsedRow",
    "RowError",
    "parse_pix_datetime",
    "parse_pix_export",
]


def _csv_table(data: bytes) -> tuple[list[str], list[int], list[list[str]], str, str]:
    """The header, the non-blank rows and the file line of each (1 = header)."""
    text, encoding = decode_text(data)
    if not text.strip():  # a BOM alone
        raise FileRefused("Le fichier est vide.")
    long_lines = check_text(text)  # NUL, lines: before the csv module makes the cells
    end = text.find("\n")
    delimiter = sniff_delimiter(text if end < 0 else text[:end])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = list(reader)
    except csv.Error as error:
        if reader.line_num <= 1:  # `"a"|"b"` read with `,`: a wrong delimiter
            raise FileRefused(NO_COLUMNS) from error
        raise csv_error(reader.line_num, error) from error
    physical = text.count("\n") + (not text.endswith("\n"))
    if len(records) == physical and ("\r" not in text or text.count("\r") == text.count("\r\n")):
        lines = range(2, len(records) + 1)  # one record per line
    else:  # a quoted cell over several lines, or old Mac line ends: count again
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        next(reader)
        lines, start = [], reader.line_num + 1
        for _record in reader:
            lines.append(start)
            start = reader.line_num + 1
    check_records(
        records,
        lambda index: lines[index - 1] if index else 1,
        cells=long_lines or not isinstance(lines, range),
    )
    header, body = records[0], records[1:]
    if not all(map(any, body)):  # blank rows are skipped
        kept = [(line, row) for line, row in zip(lines, body, strict=True) if any(row)]
        lines, body = [line for line, _row in kept], [row for _line, row in kept]
    return header, lines, body, encoding, delimiter


class _Row:
    """Cell readers for one row, used off the fast path: they record errors."""

    __slots__ = ("cells", "errors", "header", "line")

    def __init__(self, line: int, cells: list[str], header: list[str]):
        self.line, self.cells, self.header, self.errors = line, cells, header, []

    def fail(self, index: int, message: str) -> None:
        column = self.header[index]
        self.errors.append(RowError(self.line, f"{message} (colonne « {column} »).", column))

    def integer(self, index: int, high: int | None = None) -> int | None:
        text = self.cells[index].strip()
        try:
            value = int(text)
        except ValueError:
            return self.fail(index, f"« {text} » n'est pas un nombre entier")
        if value < 0 or (high is not None and value > high):
            bounds = f"entre 0 et {high}" if high is not None else "positive"
            return self.fail(index, f"la valeur {value} n'est pas {bounds}")
        return value

    def ratio(self, index: int) -> float | None:
        text = self.cells[index].strip()
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            return self.fail(index, f"« {text} » n'est pas un nombre décimal")
        if not 0 <= value <= 1:
            return self.fail(index, f"la valeur {text} n'est pas entre 0 et 1")
        return value

    def yes_no(self, index: int, *, na: bool = True) -> bool | None:
        text = self.cells[index].strip()
        value = YES_NO.get(text.lower())
        if value is None and not (na and text in NA_OR_EMPTY):
            self.fail(index, f"« {text} » n'est ni « Oui » ni « Non »")
        return value

    def date(self, index: int, paris: bool, cache: dict, verb: str) -> dt.datetime | None:
        text = self.cells[index].strip()
        if text in NA_OR_EMPTY:
            return self.fail(index, f"participation {verb} sans date")
        if text not in cache:
            try:
                cache[text] = parse_pix_datetime(text, paris=paris)
            except ValueError:
                return self.fail(index, f"date « {text} » illisible, attendu JJ/MM/AAAA HH:MM")
        return cache[text]


def parse_pix_export(
    data: bytes,
    framework: Framework,
    *,
    external_id_label: str | None = None,
    max_bytes: int | None = None,
) -> ParsedFile:
    """Read a Pix Orga results export (CSV as downloaded or resaved, or XLSX)."""
    if max_bytes is not None and len(data) > max_bytes:
        raise FileRefused(
            f"Le fichier fait {format_size(len(data))} ; la taille maximale est {format_size(max_bytes)}."
        )
    with no_cyclic_gc():
        parsed = _parse(data, framework, external_id_label, max_bytes)
    if not parsed.rows and not parsed.errors:
        raise FileRefused("Le fichier ne contient aucune participation sous les en-têtes.")
    parsed.errors.sort(key=lambda error: error.line)
    return parsed


def _parse(data, framework, external_id_label, max_bytes) -> ParsedFile:
    if detect_kind(data) == "xlsx":  # a resaved export; short rows are padded
        table = read_table(data, max_bytes=max_bytes)
        header, encoding, delimiter, pad = table.header, "xlsx", "", [""] * len(table.header)
        lines, body = table.line_numbers, [row + pad[len(row) :] for row in table.rows]
    else:
        header, lines, body, encoding, delimiter = _csv_table(data)
    header = [unguard(h.replace("\ufeff", "").strip()) for h in header]
    if len(header) < MIN_COLUMNS:
        raise FileRefused(NO_COLUMNS)
    layout = Layout(header, framework, external_id_label)
    label = header[layout.ext] if layout.ext is not None else None
    parsed = ParsedFile(
        layout.kind, header, set(), label, layout.sn is not None, [], [], encoding, delimiter
    )
    clean = layout.kind == PROFILES_COLLECTION and read_clean_profiles(
        parsed, layout, lines, body, framework
    )
    if not clean:
        _parse_rows(parsed, layout, zip(lines, body, strict=True), framework)
    return parsed


def _text(cells: list[str], index: int | None) -> str:
    if index is None:
        return ""
    text = cells[index].strip()
    return unguard(text) if text[:1] == "'" else text


def _parse_rows(parsed: ParsedFile, layout: Layout, rows, framework: Framework):
    col, header, width = layout.col, layout.header, len(layout.header)
    i_code, i_group, i_sn, i_ext = col.get("code"), col.get("group"), layout.sn, layout.ext
    i_pix_id = col.get("pix_id")
    i_last, i_first, i_shared = (col[k] for k in ("last_name", "first_name", "shared"))
    i_date, paris = col["shared_at"], layout.paris["shared_at"]
    id_columns = [header[i] for i in (i_sn, i_ext) if i is not None]
    no_id = " et ".join(f"« {c} »" for c in id_columns)
    no_id = f"aucun identifiant : {no_id} vide{'s' if len(id_columns) > 1 else ''}."
    codes = [code for code, _slots in layout.competences]
    profiles = layout.kind == PROFILES_COLLECTION
    verb = "envoyée" if profiles else "partagée"
    if profiles:  # total, count, then level and pix of each competence: one int() sweep
        flat, highs = layout.profile_numbers(framework)
        get_values, i_cert = itemgetter(*flat), col["certifiable"]  # C-speed
    else:
        rate_idx = [slots[0] for _code, slots in layout.competences]
        count_idx = [i for _code, slots in layout.competences for i in slots[1:]]
    dates: dict = {}
    seen: dict[tuple, tuple[int, list[str]]] = {}  # (identifier, date) → first line, cells
    first_code: tuple[str, int] | None = None
    for line, cells in rows:
        if len(cells) < width:
            parsed.errors.append(
                RowError(line, f"la ligne a {len(cells)} cellules au lieu de {width}.")
            )
            continue
        row = _Row(line, cells, header)
        number, external = _text(cells, i_sn), _text(cells, i_ext)
        if not number and not external:
            row.errors.append(RowError(line, no_id, id_columns[0]))
        if i_pix_id is not None and (pix_id := cells[i_pix_id].strip()):
            parsed.pix_ids.add(pix_id)
        code = cells[i_code].strip() if i_code is not None else ""
        if code:
            parsed.codes.add(code)
            if first_code is None:
                first_code = (code, line)
            elif code != first_code[0]:
                row.fail(
                    i_code,
                    f"code de campagne « {code} » différent de « {first_code[0]} » "
                    f"(ligne {first_code[1]}) : un fichier ne doit contenir qu'une campagne",
                )
        shared = cells[i_shared].strip()
        shared = shared == "Oui" if shared in ("Oui", "Non") else row.yes_no(i_shared, na=False)
        item = ParsedRow(
            line, code, _text(cells, i_last), _text(cells, i_first), _text(cells, i_group),
            number, external, bool(shared), None,
        )  # fmt: skip
        item.raw = cells
        if shared:
            when = dates.get(cells[i_date])
            item.shared_at = when or row.date(i_date, paris, dates, verb)
        if profiles and shared:
            certifiable = cells[i_cert]
            ok = certifiable in ("Oui", "Non")
            item.certifiable = certifiable == "Oui" if ok else row.yes_no(i_cert)
            try:
                values = list(map(int, get_values(cells)))
                if min(values) < 0 or any(map(gt, values, highs)):
                    raise ValueError
            except ValueError:  # slow path: say which cells are wrong
                values = [row.integer(i, high) for i, high in zip(flat, highs, strict=True)]
            levels, pix = values[2::2], values[3::2]
            item.total_pix, item.certifiable_count = values[0], values[1]
            item.results = orjson.dumps(
                dict(zip(codes, map(list, zip(levels, pix, strict=True)), strict=True))
            ).decode()
        elif not profiles:
            _assessment_values(row, item, layout, dates)
            if shared:
                try:
                    rates = [float(cells[i].replace(",", ".")) for i in rate_idx]
                    counts = [int(cells[i]) for i in count_idx]
                    if codes and (min(rates) < 0 or max(rates) > 1 or min(counts) < 0):
                        raise ValueError
                except ValueError:  # slow path: say which cells are wrong
                    rates = [row.ratio(i) for i in rate_idx]
                    counts = [row.integer(i) for i in count_idx]
                triples = zip(rates, counts[0::2], counts[1::2], strict=True)
                item.results = orjson.dumps(
                    dict(zip(codes, map(list, triples), strict=True))
                ).decode()
        if row.errors:
            parsed.errors.extend(row.errors)
            continue
        key = (item.identifier, item.shared_at)
        if (first := seen.get(key)) is not None:
            earlier, earlier_cells = first
            if [c.strip() for c in cells] == [c.strip() for c in earlier_cells]:
                parsed.warnings.append(
                    RowError(
                        line,
                        f"ligne identique à la ligne {earlier} (même envoi) : importée une seule fois.",
                    )
                )
                continue
            what = f"{verb} à la même date" if item.shared else f"non {verb} elle aussi"
            message = (
                f"même participant et même date que la ligne {earlier} (identifiant « {key[0]} », "
                f"{what}) mais des cellules différentes : gardez la bonne ligne."
            )
            parsed.errors.append(RowError(line, message))
            continue
        seen[key] = (line, cells)
        parsed.rows.append(item)


def _assessment_values(row: _Row, item: ParsedRow, layout: Layout, dates: dict):
    col, cells = layout.col, row.cells
    if (index := col.get("progression")) is not None:
        item.progression = row.ratio(index)
    if cells[col["started_at"]].strip() not in NA_OR_EMPTY:
        item.started_at = row.date(col["started_at"], layout.paris["started_at"], dates, "")
    item.stage_count = layout.stage_count
    item.badges = dict.fromkeys(name for name, _index in layout.badges)
    if item.shared:
        item.mastery_rate = row.ratio(col["mastery_rate"])
        if layout.stage_col is not None and cells[layout.stage_col].strip() not in NA_OR_EMPTY:
            item.stage = row.integer(layout.stage_col, layout.stage_count)
        item.badges = {name: row.yes_no(index) for name, index in layout.badges}
