"""Turn an uploaded CSV or XLSX file into a header and rows of text cells.

- CSV: UTF-8 with or without BOM, else cp1252 (a round-trip through French Excel);
  delimiter ``;``, ``,`` or tab detected from the header; LF or CRLF; quoted or not.
- XLSX: the first sheet; numbers shown with a zero-padded format (``00000000``) keep
  their leading zeros; dates come out as ``JJ/MM/AAAA``.
- The type is decided from the content, never from the file name.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from . import limits
from .errors import FileRefused, format_size
from .limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS

XLSX_MAGIC = b"PK\x03\x04"
BINARY_MARKERS = (b"\x00", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0")


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    kind: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ";"
    # file line (1 = header) of each data row, for error messages
    line_numbers: list[int] = field(default_factory=list)


def detect_kind(data: bytes) -> str:
    """``"xlsx"`` or ``"csv"`` from the bytes; raise ``FileRefused`` otherwise."""
    if not data.strip():
        raise FileRefused("Le fichier est vide.")
    if data.startswith(XLSX_MAGIC):
        with limits.check_archive(data) as archive:  # sizes checked, nothing inflated
            names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise FileRefused(
                "Le fichier est une archive mais pas un classeur Excel (.xlsx). "
                "Enregistrez-le au format CSV ou XLSX."
            )
        return "xlsx"
    nul = data.find(b"\x00", 0, 4096)  # past the first line: text, refused by its line
    if any(data.startswith(marker) for marker in BINARY_MARKERS[1:]) or (
        nul >= 0 and b"\n" not in data[:nul]
    ):
        raise FileRefused(
            "Le fichier n'est ni un CSV ni un classeur XLSX (contenu binaire). "
            "Enregistrez-le au format CSV ou XLSX."
        )
    return "csv"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (BOM or not), else cp1252. Returns (text, encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise FileRefused(
            "Encodage du fichier non reconnu : enregistrez-le en « CSV UTF-8 »."
        ) from error


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    delimiter, count = max(counts.items(), key=lambda item: item[1])
    if count == 0:
        raise FileRefused(
            "Impossible de trouver les colonnes : la première ligne doit contenir les en-têtes "
            "séparés par « ; » (ou « , »)."
        )
    return delimiter


def unguard(text: str) -> str:
    """Remove the apostrophe that Pix and spreadsheets put before ``- @ = +``."""
    if len(text) > 1 and text[0] == "'" and text[1] in "-@=+":
        return text[1:]
    return text


def _clean(cell) -> str:
    return ("" if cell is None else str(cell)).replace("\ufeff", "").strip()


def read_csv(data: bytes) -> Table:
    text, encoding = decode_text(data)
    long_lines = limits.check_text(text)  # before the csv module makes lists of cells
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        limits.check_records([header], lambda _index: 1, cells=True)
        header = [_clean(h) for h in header]
        plain = "\ufeff" not in text  # no stray BOM past the first: one C-level strip a cell
        if plain and not long_lines and '"' not in text and reader.line_num == 1:
            return _read_plain(reader, header, encoding, delimiter)
        rows, lines, start = [], [], reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1  # a quoted cell may span lines
            if len(row) > MAX_COLUMNS:
                raise limits.too_many_columns(line, len(row))
            if row and max(map(len, row)) > MAX_CELL_CHARS:
                limits.check_records([row], lambda _index, line=line: line, cells=True)
            cells = list(map(str.strip, row)) if plain else None
            if not any(cells if plain else (cell.strip() for cell in row)):
                continue
            cells = cells if plain else [_clean(c) for c in row]
            if len(rows) == MAX_ROWS:
                raise _too_many_rows()
            rows.append(cells)
            lines.append(reader.line_num)
    except StopIteration as error:
        raise FileRefused("Le fichier est vide.") from error
    except csv.Error as error:
        raise limits.csv_error(reader.line_num, error) from error
    return Table(header, rows, "csv", encoding, delimiter, lines)


def _read_plain(reader, header, encoding, delimiter) -> Table:
    """A file without quotes: one record a line, so a row's line is its position
    (the loop of ``read_csv`` without its per-row bookkeeping; same rows, same lines)."""
    records = list(reader)
    if records and max(map(len, records)) > MAX_COLUMNS:
        index = next(i for i, record in enumerate(records) if len(record) > MAX_COLUMNS)
        raise limits.too_many_columns(index + 2, len(records[index]))
    cleaned = [list(map(str.strip, record)) for record in records]
    kept = [index for index, cells in enumerate(cleaned) if any(cells)]
    if len(kept) > MAX_ROWS:
        raise _too_many_rows()
    if len(kept) < len(cleaned):
        cleaned = [cleaned[index] for index in kept]
    return Table(header, cleaned, "csv", encoding, delimiter, [index + 2 for index in kept])


def _too_many_rows() -> FileRefused:
    return FileRefused(
        f"Le fichier a plus de {limits.number(MAX_ROWS)} lignes sous les en-têtes ; "
        f"c'est la limite."
    )


def _xlsx_row(row, line: int) -> list[str]:
    """The text of a sheet row, its trailing empty cells dropped, within the limits."""
    cells = [_xlsx_cell(c) for c in row]
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) > MAX_COLUMNS:
        raise limits.too_many_columns(line, len(cells))
    for column, text in enumerate(cells, 1):
        if len(text) > MAX_CELL_CHARS:
            raise limits.too_long_cell(line, column, len(text))
        if "\x00" in text:  # ``_x0000_`` in the sheet
            raise FileRefused(limits.NUL_MESSAGE.format(line=line))
    return cells


def _xlsx_cell(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (
            value.strftime("%d/%m/%Y")
            if value.time() == dt.time()
            else value.strftime("%d/%m/%Y %H:%M")
        )
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number_format = cell.number_format or ""
        if number_format and set(number_format) == {"0"}:
            return str(value).zfill(len(number_format))
        return str(value)
    return _clean(value)


def read_xlsx(data: bytes) -> Table:
    """The first sheet, streamed (openpyxl's read-only mode) after the archive's
    declared sizes were checked: memory stays bounded whatever the file says."""
    from openpyxl import load_workbook

    limits.check_archive(data).close()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileRefused(
            "Le classeur Excel n'a pas pu être lu : il est peut-être abîmé."
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows_iter = sheet.iter_rows()
        header = None
        rows, lines = [], []
        for index, row in enumerate(rows_iter, start=1):
            cells = _xlsx_row(row, index)
            if header is None:
                if not any(cells):
                    continue
                header = cells
                continue
            if any(cells):
                if len(rows) == MAX_ROWS:
                    raise _too_many_rows()
                rows.append(cells)
                lines.append(index)
    except FileRefused:
        raise
    except Exception as error:  # a sheet damaged past its first rows
        raise FileRefused(
            "Le classeur Excel n'a pas pu être lu : il est peut-être abîmé."
        ) from error
    finally:
        workbook.close()
    if header is None:
        raise FileRefused("Le classeur est vide.")
    return Table(header, rows, "xlsx", "xlsx", "", lines)


def read_table(data: bytes, *, max_bytes: int | None = None) -> Table:
    """Read a CSV or XLSX file (decided from its content) into a ``Table``."""
    if max_bytes is not None and len(data) > max_bytes:
        raise FileRefused(
            f"Le fichier fait {format_size(len(data))} ; la taille maximale est {format_size(max_bytes)}."
        )
    kind = detect_kind(data)
    table = read_xlsx(data) if kind == "xlsx" else read_csv(data)
    if not any(table.header):
        raise FileRefused("La première ligne du fichier doit contenir les en-têtes de colonnes.")
    return table


def error_lines(errors: list[dict]) -> list[str]:
    """Summary errors (``{"row", "message"}``) as the lines a person reads, then the verdict."""
    lines = [(f"Ligne {e['row']} : " if e["row"] else "") + e["message"] for e in errors]
    return [*lines, "Fichier refusé : rien n'a été écrit."] if lines else []
