"""What an uploaded table may hold, checked before (or while) it is read.

A hostile file must be refused cheaply, in a fraction of a second and a few MB of
memory: an XLSX is a zip whose members' declared sizes are checked before anything is
inflated (``zipfile`` never inflates past a declared size: it fails on the CRC), a CSV
has its lines measured before the ``csv`` module makes a list of cells of each.

The limits are far above real files: a Pix profiles-collection export has 46 columns
(16 competences), an assessment one about 70; offices import up to 20,000 students.
"""

import io
import zipfile
from itertools import chain

from .errors import FileRefused, format_size

MAX_COLUMNS = 200
MAX_LINE_CHARS = 64 * 1024
MAX_CELL_CHARS = 4 * 1024
MAX_ROWS = 200_000

XLSX_MAX_MEMBERS = 1_000
XLSX_MAX_MEMBER_BYTES = 128 * 1024 * 1024  # inflated; a 20,000-row sheet is ~40 MB
XLSX_MAX_TOTAL_BYTES = 256 * 1024 * 1024
XLSX_MAX_RATIO = 100  # inflated / deflated, for members over XLSX_RATIO_FROM bytes
XLSX_RATIO_FROM = 1024 * 1024

NUL_MESSAGE = (
    "Ligne {line} : le fichier contient un caractère nul (octet 0), qu'aucune cellule ne "
    "peut contenir. Enregistrez-le à nouveau en CSV UTF-8 ou en XLSX depuis le tableur."
)


def number(value: int) -> str:
    """``65 536`` (French thousands separator, a plain space)."""
    return f"{value:,}".replace(",", " ")


def _zip_entry_count(data: bytes) -> int | None:
    """The member count of the end-of-central-directory record, read without parsing
    the directory (``None`` when the record is not found)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    return int.from_bytes(data[end + 10 : end + 12], "little")


def check_archive(data: bytes) -> zipfile.ZipFile:
    """Open an XLSX (zip) after checking its member count, each member's declared
    inflated size and compression ratio, and the total. Raises ``FileRefused``."""
    count = _zip_entry_count(data)
    if count is not None and count > XLSX_MAX_MEMBERS:
        raise FileRefused(
            f"Le fichier XLSX contient {number(count)} éléments ; la limite est de "
            f"{number(XLSX_MAX_MEMBERS)}. Ce n'est pas un classeur ordinaire."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise FileRefused("Le fichier ressemble à un classeur Excel mais il est abîmé.") from error
    members = archive.infolist()
    if len(members) > XLSX_MAX_MEMBERS:
        raise FileRefused(
            f"Le fichier XLSX contient {number(len(members))} éléments ; la limite est de "
            f"{number(XLSX_MAX_MEMBERS)}. Ce n'est pas un classeur ordinaire."
        )
    total = 0
    for member in members:
        size, packed = member.file_size, max(member.compress_size, 1)
        if size > XLSX_MAX_MEMBER_BYTES:
            raise FileRefused(
                f"Le fichier XLSX dépasse la limite de {format_size(XLSX_MAX_MEMBER_BYTES)} "
                f"par élément une fois décompressé (« {member.filename[:80]} » en ferait "
                f"{format_size(size)}). Ce n'est pas un classeur ordinaire."
            )
        if size > XLSX_RATIO_FROM and size / packed > XLSX_MAX_RATIO:
            raise FileRefused(
                f"Le fichier XLSX dépasse le taux de compression maximal de {XLSX_MAX_RATIO} "
                f"pour 1 (« {member.filename[:80]} » : {format_size(packed)} qui en font "
                f"{format_size(size)}). Ce n'est pas un classeur ordinaire."
            )
        total += size
    if total > XLSX_MAX_TOTAL_BYTES:
        raise FileRefused(
            f"Le fichier XLSX dépasse la limite de {format_size(XLSX_MAX_TOTAL_BYTES)} une "
            f"fois décompressé (il en ferait {format_size(total)})."
        )
    return archive


def refuse_nul(text: str) -> None:
    if (at := text.find("\x00")) >= 0:
        raise FileRefused(NUL_MESSAGE.format(line=text.count("\n", 0, at) + 1))


def check_text(text: str) -> bool:
    """Check a decoded CSV before parsing it: no NUL, not too many lines, no line too
    long. Returns whether some line is longer than a cell may be (the cells must then
    be measured after parsing, see ``check_records``)."""
    refuse_nul(text)
    if (lines := text.count("\n")) > MAX_ROWS + 1:
        raise FileRefused(
            f"Le fichier compte {number(lines)} lignes ; la limite est de "
            f"{number(MAX_ROWS)} lignes sous les en-têtes."
        )
    lengths = list(map(len, text.split("\n")))
    longest = max(lengths)
    if longest > MAX_LINE_CHARS:
        line = next(i for i, length in enumerate(lengths, 1) if length > MAX_LINE_CHARS)
        raise FileRefused(
            f"Ligne {line} : la ligne fait {number(lengths[line - 1])} caractères ; la "
            f"limite est de {number(MAX_LINE_CHARS)} caractères par ligne."
        )
    return longest > MAX_CELL_CHARS


def too_many_columns(line: int, count: int) -> FileRefused:
    return FileRefused(
        f"Ligne {line} : {number(count)} colonnes ; la limite est de "
        f"{number(MAX_COLUMNS)} colonnes."
    )


def too_long_cell(line: int, column: int, length: int) -> FileRefused:
    return FileRefused(
        f"Ligne {line}, colonne {column} : la cellule fait {number(length)} caractères ; "
        f"la limite est de {number(MAX_CELL_CHARS)} caractères par cellule."
    )


def check_records(records: list[list[str]], line_of, *, cells: bool) -> None:
    """After parsing: the widest record, and (when ``cells``) the longest cell.
    ``line_of(index)`` is the file line of ``records[index]``."""
    if records and max(map(len, records)) > MAX_COLUMNS:
        index = next(i for i, record in enumerate(records) if len(record) > MAX_COLUMNS)
        raise too_many_columns(line_of(index), len(records[index]))
    if cells and records and max(map(len, chain.from_iterable(records))) > MAX_CELL_CHARS:
        for index, record in enumerate(records):
            for column, cell in enumerate(record, 1):
                if len(cell) > MAX_CELL_CHARS:
                    raise too_long_cell(line_of(index), column, len(cell))


def csv_error(line: int, error: Exception) -> FileRefused:
    """The refusal for an error of the ``csv`` module (its own cell limit, 128 KiB, is
    met before ours when a quoted cell runs over many short lines)."""
    if "field larger than field limit" in str(error):
        return FileRefused(
            f"Ligne {line} : une cellule dépasse la limite de {number(MAX_CELL_CHARS)} "
            "caractères par cellule."
        )
    return FileRefused(f"Ligne {line} : le fichier CSV est mal formé ({error}).")
