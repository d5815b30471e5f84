"""Roster export (CSV with BOM and ``;``, XLSX), one row generator for both formats."""

from django.db.models import QuerySet

from pixoffice.tabular import to_csv_bytes, to_xlsx_bytes

HEADER = [
    "Numéro étudiant",
    "Nom",
    "Prénom",
    "Courriel",
    "Formation",
    "Groupe",
    "Date de naissance",
    "Lieu de naissance",
    "Nom de naissance",
    "INE",
    "Sexe",
    "Code INSEE de naissance",
    "Code postal de naissance",
    "Pays de naissance",
    "Tiers-temps",
]


def roster_rows(students: QuerySet):
    for s in students.select_related("programme").order_by(
        "programme__name", "last_name", "first_name"
    ):
        yield [
            s.student_number,
            s.last_name,
            s.first_name,
            s.email,
            s.programme.name,
            s.group,
            s.birth_date,
            s.birth_place,
            s.birth_name,
            s.ine,
            s.sex,
            s.birth_insee_code,
            s.birth_postal_code,
            s.birth_country,
            f"{s.extra_time_percent}%" if s.extra_time_percent else "",
        ]


def export_roster(students: QuerySet, fmt: str) -> bytes:
    if fmt == "xlsx":
        return to_xlsx_bytes(HEADER, roster_rows(students), title="Étudiants")
    return to_csv_bytes(HEADER, roster_rows(students))
