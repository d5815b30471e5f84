import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pixoffice.accounts import services
from pixoffice.accounts.models import RosterImport, Student
from tests.factories import AcademicYearFactory, StudentFactory

pytestmark = pytest.mark.django_db
ZEROS = 11  # student numbers of the sample roster that start with 0


def apply(data: bytes, *, by=None, name="liste.csv", year=None):
    plan = services.plan_roster_import(data, by=by, academic_year=year)
    batch = services.store_roster_file(
        data, name=name, by=by, mapping=plan.mapping, academic_year=year, summary=plan.summary()
    )
    return services.apply_roster_import(batch.pk)


def test_sample_roster_creates_96_students_with_leading_zeros_and_extra_time(
    programmes, roster_bytes
):
    year = AcademicYearFactory()

    batch = apply(roster_bytes, year=year)

    assert batch.status == RosterImport.Status.APPLIED
    assert batch.summary["created"] == 96
    assert Student.objects.count() == 96
    helo = Student.objects.get(student_number="03201590")
    assert (helo.last_name, helo.first_name, helo.group) == ("Le Goff", "Héloïse", "TD3")
    assert helo.programme.name == "L2 SED"
    assert helo.birth_date.isoformat() == "2004-10-01"
    assert helo.extra_time_percent == 0
    assert helo.academic_year == year
    assert Student.objects.get(student_number="05641339").extra_time_percent == 33
    assert Student.objects.filter(extra_time_percent=33).count() == 9
    assert Student.objects.filter(student_number__startswith="0").count() == ZEROS


def test_sample_roster_reimport_changes_nothing(programmes, roster_bytes):
    apply(roster_bytes)
    before = list(Student.objects.order_by("pk").values())

    plan = services.plan_roster_import(roster_bytes, by=None)
    batch = apply(roster_bytes)

    assert plan.summary() | {"warnings": []} == {
        "rows": 96,
        "created": 0,
        "updated": 0,
        "unchanged": 96,
        "absent": 0,
        "errors": [],
        "warnings": [],
    }
    assert batch.summary["unchanged"] == 96
    assert list(Student.objects.order_by("pk").values()) == before


def test_roster_file_with_one_bad_row_writes_nothing_and_names_the_row(programmes, roster_bytes):
    lines = roster_bytes.decode("utf-8-sig").split("\r\n")
    lines[10] = lines[10].replace("/", "-", 1).replace(";L2", ";L2", 1)
    cells = lines[10].split(";")
    cells[6] = "31/02/2004"
    lines[10] = ";".join(cells)
    data = "\r\n".join(lines).encode("utf-8")

    batch = apply(data)

    assert batch.status == RosterImport.Status.REFUSED
    assert batch.summary["errors"] == [
        {
            "row": 11,
            "column": "Date de naissance",
            "message": "date de naissance « 31/02/2004 » illisible (attendu JJ/MM/AAAA).",
        }
    ]
    assert Student.objects.count() == 0


def test_roster_update_reports_old_and_new_values(programmes, roster_bytes):
    apply(roster_bytes)
    data = roster_bytes.replace(
        b"03201590;Le Goff;H\xc3\xa9lo\xc3\xafse;heloise.legoff@etu.univ-exemple.fr;L2 SED;TD3",
        b"03201590;Le Goff;H\xc3\xa9lo\xc3\xafse;heloise.legoff@etu.univ-exemple.fr;L2 SED;TD1",
    )

    plan = services.plan_roster_import(data, by=None)

    assert [(c.student.student_number, c.changes) for c in plan.updated] == [
        ("03201590", {"Groupe": ("TD3", "TD1")})
    ]
    assert len(plan.unchanged) == 95


def test_roster_absent_students_are_reported_not_deleted(programmes, roster_bytes):
    gone = StudentFactory(student_number="09999999", programme=programmes["L2 SED"])

    batch = apply(roster_bytes)

    assert batch.summary["absent"] == 1
    assert Student.objects.filter(pk=gone.pk).exists()


def test_roster_staff_cannot_import_a_programme_they_do_not_follow(people, roster_bytes):
    plan = services.plan_roster_import(roster_bytes, by=people["staff_other"])

    assert plan.refused
    assert str(plan.errors[0]) == "Ligne 2 : vous ne suivez pas la formation « L2 SED »."
    assert len(plan.errors) == 96 - 17  # all rows but L2 Histoire's


def test_roster_unknown_programme_is_an_error_with_its_line(programmes):
    data = "Numéro étudiant;Nom;Prénom;Formation\n01;A;B;L2 SED\n02;C;D;L3 Chimie\n".encode()

    plan = services.plan_roster_import(data, by=None)

    assert [str(e) for e in plan.errors] == [
        "Ligne 3 : formation « L3 Chimie » inconnue : un administrateur doit d'abord la créer."
    ]


def test_roster_duplicate_number_and_bad_extra_time_are_all_reported(programmes):
    data = (
        "Numéro étudiant;Nom;Prénom;Formation;Tiers-temps;Courriel\n"
        "0001;A;B;L2 SED;;a@x.fr\n"
        "0001;C;D;L2 SED;beaucoup;c@x.fr\n"
        ";E;F;L2 SED;;pas-une-adresse\n"
    ).encode()

    plan = services.plan_roster_import(data, by=None)

    assert [str(e) for e in plan.errors] == [
        "Ligne 3 : le numéro étudiant 0001 figure déjà ligne 2.",
        "Ligne 3 : tiers-temps « beaucoup » illisible (attendu 33% ou vide).",
        "Ligne 4 : le numéro étudiant est vide.",
        "Ligne 4 : adresse électronique « pas-une-adresse » invalide.",
    ]


def test_roster_unknown_headers_need_a_manual_mapping(programmes):
    data = "Matricule,Nom de famille,Prénom usuel,Cursus\n0042,Martin,Zoé,L2 SED\n".encode()

    plan = services.plan_roster_import(data, by=None)
    assert plan.needs_mapping and not plan.errors

    mapped = services.plan_roster_import(
        data,
        by=None,
        mapping={"student_number": 0, "last_name": 1, "first_name": 2, "programme": 3},
    )
    assert [(r.student_number, r.last_name, r.programme) for r in mapped.created] == [
        ("0042", "Martin", "L2 SED")
    ]


def test_roster_xlsx_keeps_leading_zeros_of_a_zero_padded_number_format(programmes):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Numéro étudiant", "Nom", "Prénom", "Formation", "Date de naissance"])
    sheet.append([3201590, "Le Goff", "Héloïse", "L2 SED", None])
    sheet["A2"].number_format = "00000000"
    sheet.append(["04899459", "Dupré", "Théo", "L2 Histoire", None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    plan = services.plan_roster_import(buffer.getvalue(), by=None)

    assert [r.student_number for r in plan.created] == ["03201590", "04899459"]


def test_roster_apply_twice_does_not_duplicate(programmes, roster_bytes):
    batch = apply(roster_bytes)

    again = services.apply_roster_import(batch.pk)

    assert again.status == RosterImport.Status.APPLIED
    assert Student.objects.count() == 96


@pytest.mark.parametrize("rows", [10, 1000])
def test_roster_import_queries_do_not_grow_with_rows(programmes, rows):
    header = "Numéro étudiant;Nom;Prénom;Formation;Courriel\n"
    body = "".join(f"{i:08d};Nom{i};Prénom;L2 SED;e{i}@etu.fr\n" for i in range(rows))
    data = (header + body).encode()
    plan = services.plan_roster_import(data, by=None)
    batch = services.store_roster_file(
        data, name="x.csv", by=None, mapping=plan.mapping, academic_year=None
    )

    with CaptureQueriesContext(connection) as queries:
        services.apply_roster_import(batch.pk)

    assert Student.objects.count() == rows
    # savepoint, lock the batch, programmes, the students by number, programme or address,
    # save the batch, release; the rows go in with one COPY (not a Django query)
    assert len(queries) == 6


def test_a_number_of_an_unusual_shape_is_a_warning_with_its_line_never_a_refusal(programmes):
    header = "Numéro étudiant;Nom;Prénom;Formation\n"
    data = (
        header + "21000001;Martin;Léa;L2 SED\n2299;Petit;Jules;L2 SED\nE1234;Roux;Ana;L2 SED\n"
    ).encode()

    plan = services.plan_roster_import(data, by=None)

    assert not plan.refused
    assert [(w.line, w.column, w.message) for w in plan.warnings] == [
        (
            3,
            "Numéro étudiant",
            "le numéro étudiant « 2299 » n'a pas la forme attendue (8 chiffres, ou une lettre "
            "suivie de chiffres) : importé tel quel.",
        )
    ]
    assert [row.student_number for row in plan.created] == ["21000001", "2299", "E1234"]


def test_the_number_shape_is_a_setting(programmes, settings):
    settings.STUDENT_NUMBER_PATTERN = r"\d{4}"
    settings.STUDENT_NUMBER_SHAPE = "4 chiffres"
    data = "Numéro étudiant;Nom;Prénom;Formation\n21000001;Martin;Léa;L2 SED\n2299;Petit;Jules;L2 SED\n".encode()

    plan = services.plan_roster_import(data, by=None)

    assert [w.line for w in plan.warnings] == [2]
    assert "(4 chiffres)" in plan.warnings[0].message
