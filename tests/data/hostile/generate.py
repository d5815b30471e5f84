"""The hostile-upload corpus: files a malicious staff account could send.

Nothing here is committed as a large file: ``generate(folder)`` writes the corpus
(a few MB in all, in about a second) and returns ``{name: path}``. The tests call it
into a temporary folder; by hand::

    .venv/bin/python tests/data/hostile/generate.py /tmp/hostile

Each file is a roster or a Pix export that would be fine but for one hostile part.
"""

import struct
import sys
import zlib
from pathlib import Path

ROSTER_HEADER = "Numéro étudiant;Nom;Prénom;Formation\n"
PIX_HEADER = (
    '"Nom de l\'organisation";"ID Campagne";"Code";"Nom de la campagne";'
    '"Nom du Participant";"Prénom du Participant";"Numéro Étudiant";"Envoi (O/N)";'
    '"Date et heure de l\'envoi (Europe/Paris)";"Nombre de pix total";"Certifiable (O/N)";'
    '"Nombre de compétences certifiables"\n'
)
MiB = 1024 * 1024

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_CLOSE = "</sheetData></worksheet>"


def _row(number: int, cells: list[str]) -> str:
    inline = "".join(f'<c t="inlineStr"><is><t>{cell}</t></is></c>' for cell in cells)
    return f'<row r="{number}">{inline}</row>'


def _segment(data: bytes, final: bool = False) -> bytes:
    """``data`` deflated on its own: segments made this way can be laid end to end
    (and repeated) to form one deflate stream, the last one ``final``."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH
    )


def _write_zip(path: Path, members: list[tuple[str, list[tuple[bytes, int]]]]) -> None:
    """A zip whose members are given as ``(chunk, times)`` pieces: each chunk is deflated
    once and repeated, so a 1 GB member is written in a fraction of a second. The
    declared sizes and CRCs are the true ones (what ``zipfile`` checks on reading)."""
    central, offset = [], 0
    with path.open("wb") as out:
        for name, pieces in members:
            encoded, crc, size, deflated = name.encode(), 0, 0, []
            for chunk, times in pieces:
                for _ in range(times):
                    crc = zlib.crc32(chunk, crc)
                size += len(chunk) * times
                deflated.append((_segment(chunk), times))
            deflated.append((_segment(b"", final=True), 1))
            csize = sum(len(data) * times for data, times in deflated)
            fields = (20, 0, 8, 0, 0x21, crc, csize, size, len(encoded), 0)
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded)
            for data, times in deflated:
                for _ in range(times):
                    out.write(data)
            central.append(
                struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, offset)
                + encoded
            )
            offset += 30 + len(encoded) + csize
        directory = b"".join(central)
        out.write(directory)
        out.write(
            struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                        len(directory), offset, 0)
        )  # fmt: skip


def _xlsx(path: Path, sheet: list[tuple[bytes, int]], extra=()) -> None:
    """An XLSX whose first sheet is made of ``(chunk, times)`` pieces."""
    _write_zip(
        path,
        [
            ("[Content_Types].xml", [(CONTENT_TYPES.encode(), 1)]),
            ("_rels/.rels", [(ROOT_RELS.encode(), 1)]),
            ("xl/workbook.xml", [(WORKBOOK.encode(), 1)]),
            ("xl/_rels/workbook.xml.rels", [(WORKBOOK_RELS.encode(), 1)]),
            ("xl/worksheets/sheet1.xml", sheet),
            *extra,
        ],
    )


HEADER_ROW = _row(1, ["Numéro étudiant", "Nom", "Prénom", "Formation"])


def xlsx_bomb_rows(path: Path, inflated: int = 1100 * MiB) -> None:
    """~1.1 GB of identical rows, compressed to about 4 MB."""
    row = _row(2, ["21700001", "Dupont", "Jean", "L2 SED"]).encode() * 16_000
    _xlsx(
        path,
        [
            ((SHEET_OPEN + HEADER_ROW).encode(), 1),
            (row, inflated // len(row)),
            (SHEET_CLOSE.encode(), 1),
        ],
    )


def xlsx_bomb_cell(path: Path, inflated: int = 1100 * MiB) -> None:
    """One cell of ~1.1 GB in the second row, compressed to about 1 MB."""
    _xlsx(
        path,
        [
            ((SHEET_OPEN + HEADER_ROW + '<row r="2"><c t="inlineStr"><is><t>').encode(), 1),
            (b"A" * MiB, inflated // MiB),
            (("</t></is></c></row>" + SHEET_CLOSE).encode(), 1),
        ],
    )


def xlsx_many_members(path: Path, count: int = 20_000) -> None:
    """A valid workbook followed by 20,000 empty members."""
    sheet = (SHEET_OPEN + HEADER_ROW + SHEET_CLOSE).encode()
    _xlsx(path, [(sheet, 1)], [(f"xl/media/x{i}.bin", []) for i in range(count)])


def xlsx_nul(path: Path) -> None:
    """A roster XLSX whose second student's number holds a NUL (``&#0;``, which XML
    forbids: the file is damaged)."""
    rows = [
        HEADER_ROW,
        _row(2, ["21700001", "Dupont", "Jean", "L2 SED"]),
        _row(3, ["2170&#0;0002", "Martin", "Léa", "L2 SED"]),
    ]
    _xlsx(path, [((SHEET_OPEN + "".join(rows) + SHEET_CLOSE).encode(), 1)])


def csv_wide(path: Path, columns: int = 1_000_005) -> None:
    """A roster CSV whose second line has 1,000,005 more columns (2 MB)."""
    path.write_bytes(
        (ROSTER_HEADER + "21700001;Dupont;Jean;L2 SED" + ";0" * columns + "\n").encode()
    )


def csv_long_cell(path: Path) -> None:
    """A 100 KB name in a quoted cell spread over short lines."""
    name = "\n".join(["A" * 60] * 1_700)
    path.write_bytes((ROSTER_HEADER + f'21700001;"{name}";Jean;L2 SED\n').encode())


def csv_many_rows(path: Path, rows: int = 250_000) -> None:
    """250,000 tiny rows (about 2 MB)."""
    path.write_bytes((ROSTER_HEADER + "1;A;B;C\n" * rows).encode())


def _roster_rows(count: int) -> list[str]:
    return [f"217{index:05d};Nom{index};Prénom{index};L2 SED\n" for index in range(count)]


def csv_nul_number(path: Path) -> None:
    """A NUL byte in the third student's number, within the first 4 KB."""
    rows = _roster_rows(5)
    rows[2] = "2170\x000002;Martin;Léa;L2 SED\n"
    path.write_bytes((ROSTER_HEADER + "".join(rows)).encode())


def csv_nul_late(path: Path) -> None:
    """A NUL byte in a name on line 202, after the first 4 KB."""
    rows = _roster_rows(220)
    rows[200] = "21700200;Mar\x00tin;Léa;L2 SED\n"
    path.write_bytes((ROSTER_HEADER + "".join(rows)).encode())


def _pix_rows(count: int, nul_at: int | None = None) -> str:
    rows = []
    for index in range(count):
        first = "Lé\x00a" if index == nul_at else f"Prénom{index}"
        rows.append(
            f'"Université";574354;"URRTVG494";"Pix";"Nom{index}";"{first}";'
            f'217{index:05d};"Non";"NA";"NA";"NA";"NA"\n'
        )
    return "".join(rows)


def pix_nul_late(path: Path) -> None:
    """A Pix export with a NUL byte in a first name on line 202."""
    path.write_bytes((PIX_HEADER + _pix_rows(220, nul_at=200)).encode())


def pix_wide(path: Path, columns: int = 1_000_005) -> None:
    """A Pix export whose second line has 1,000,005 columns."""
    row = _pix_rows(1).rstrip("\n")
    path.write_bytes((PIX_HEADER + row + ';"NA"' * columns + "\n").encode())


GENERATORS = {
    "bomb-rows.xlsx": xlsx_bomb_rows,
    "bomb-cell.xlsx": xlsx_bomb_cell,
    "many-members.xlsx": xlsx_many_members,
    "nul.xlsx": xlsx_nul,
    "wide.csv": csv_wide,
    "long-cell.csv": csv_long_cell,
    "many-rows.csv": csv_many_rows,
    "nul-number.csv": csv_nul_number,
    "nul-late.csv": csv_nul_late,
    "pix-nul-late.csv": pix_nul_late,
    "pix-wide.csv": pix_wide,
}


def generate(folder: Path, names=None) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in names or GENERATORS:
        paths[name] = folder / name
        if not paths[name].exists():
            GENERATORS[name](paths[name])
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "var/hostile")
    for name, path in generate(target).items():
        print(f"{path.stat().st_size:>12,} {name}")
