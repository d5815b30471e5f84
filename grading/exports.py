"""The notes of a scheme for one programme, as the student information system takes them.

One row generator (``sis_table``) behind the CSV and XLSX files of the staff page and of
``manage.py export_grades``. Only **published** notes are exported: a note staff have not
published yet is in no file. The texts of the file (headers, results) are the SIS's and
stay French whatever the language of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.text import slugify

from pixoffice.accounts.models import Programme
from pixoffice.tabular import to_csv_bytes, to_xlsx_bytes

from . import computation as calc
from .models import ExportLayout, Note, Scheme

FORMATS = ("csv", "xlsx")

# The preset layout, used when none is chosen; "{scale}" becomes the scheme's scale.
PRESET_COLUMNS = [
    ("student_number", "Numéro étudiant"),
    ("last_name", "Nom"),
    ("first_name", "Prénom"),
    ("note", "Note /{scale}"),
    ("result", "Résultat"),
    ("absence_code", "Code absence"),
]

RESULT_TEXTS = {
    calc.VALIDATED: "Validé",
    calc.NOT_VALIDATED: "Non validé",
    calc.ABSENT: "",  # the absence code says it, in its own column
}


def _note(note: Note):
    return None if note.published_absence_code else note.published_value


CELLS = {
    "student_number": lambda n: n.student.student_number,
    "last_name": lambda n: n.student.last_name,
    "first_name": lambda n: n.student.first_name,
    "programme": lambda n: n.student.programme.name,
    "note": _note,
    "result": lambda n: RESULT_TEXTS.get(n.published_result, ""),
    "absence_code": lambda n: n.published_absence_code,
    "ine": lambda n: n.student.ine,
    "group": lambda n: n.student.group,
}


@dataclass
class SisTable:
    header: list[str]
    rows: list[list]

    def csv(self) -> bytes:
        """UTF-8 with BOM, ``;``, CRLF, decimal comma; formula-like cells neutralised."""
        return to_csv_bytes(self.header, self.rows)

    def xlsx(self) -> bytes:
        """Notes as numbers, student numbers as text (their zeros stay)."""
        return to_xlsx_bytes(self.header, self.rows, title="Notes")

    def render(self, fmt: str) -> bytes:
        if fmt not in FORMATS:
            raise ValueError(fmt)
        return self.xlsx() if fmt == "xlsx" else self.csv()


def columns_of(scheme: Scheme, layout: ExportLayout | None = None) -> list[tuple[str, str]]:
    """``(field, header)`` pairs: the layout's, or the preset one."""
    if layout is not None:
        return [(field, header) for field, header in layout.columns]
    scale = calc.number_text(scheme.scale)
    return [(field, header.format(scale=scale)) for field, header in PRESET_COLUMNS]


def published_notes(scheme: Scheme, programme: Programme) -> QuerySet[Note]:
    """The scheme's published notes of the programme's students, by name (one query)."""
    return (
        Note.objects.filter(scheme=scheme, student__programme=programme, published_at__isnull=False)
        .select_related("student", "student__programme")
        .order_by("student__last_name", "student__first_name", "student__student_number")
    )


def sis_table(scheme: Scheme, programme: Programme, layout: ExportLayout | None = None) -> SisTable:
    columns = columns_of(scheme, layout)
    cells = [CELLS[field] for field, _header in columns]
    rows = [[cell(note) for cell in cells] for note in published_notes(scheme, programme)]
    return SisTable(header=[header for _field, header in columns], rows=rows)


def filename(scheme: Scheme, programme: Programme, ext: str, *, prefix: str = "notes") -> str:
    """``notes-pix-l2-2026-2027-l2-geographie.csv``: ASCII, no spaces."""
    parts = [prefix, slugify(scheme.name), str(scheme.academic_year), slugify(programme.name)]
    return "-".join(p for p in parts if p) + f".{ext}"
