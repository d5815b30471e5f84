"""Programmes and students of the token's programmes."""

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from pixoffice.api import queries
from pixoffice.api.pagination import PageQuery, paginate
from pixoffice.api.schemas import Page, ProgrammeOut, StudentOut

router = Router(tags=["formations et étudiants"])


def programme_out(programme) -> dict:
    return {
        "id": programme.pk,
        "name": programme.name,
        "code": programme.code,
        "student_count": programme.student_count,
    }


def student_out(student) -> dict:
    return {
        "student_number": student.student_number,
        "ine": student.ine,
        "last_name": student.last_name,
        "first_name": student.first_name,
        "email": student.email,
        "programme": student.programme.name,
        "group": student.group,
        "academic_year": student.academic_year.name if student.academic_year_id else None,
        "left_on": student.left_on,
    }


@router.get("/programmes", response=Page[ProgrammeOut], url_name="programmes")
def list_programmes(request, page: Query[PageQuery]):
    """Les formations du jeton, avec leur nombre d'étudiants inscrits."""
    items, envelope = paginate(queries.programmes_of(request.auth), page)
    return {**envelope, "items": [programme_out(p) for p in items]}


class StudentFilters(Schema):
    programme: int | None = Field(None, description="Id d'une formation du jeton.")
    academic_year: str | None = Field(None, description="Année universitaire, ex. 2026-2027.")
    enrolled: bool | None = Field(
        None, description="true : les inscrits seulement ; false : ceux qui sont partis."
    )


@router.get("/students", response=Page[StudentOut], url_name="students")
def list_students(request, page: Query[PageQuery], filters: Query[StudentFilters]):
    """Les étudiants des formations du jeton, par nom. Filtres : ``programme`` (id),
    ``academic_year`` (« 2026-2027 »), ``enrolled`` (true : hors départs)."""
    students = queries.students_of(request.auth)
    if filters.programme is not None:
        students = students.filter(programme_id=filters.programme)
    if filters.academic_year:
        students = students.filter(academic_year__name=filters.academic_year)
    if filters.enrolled is not None:
        students = students.filter(left_on__isnull=filters.enrolled)
    items, envelope = paginate(students, page)
    return {**envelope, "items": [student_out(s) for s in items]}


def student_of(request, student_number: str):
    """The student with this number in the token's programmes, else 404."""
    return get_object_or_404(queries.students_of(request.auth), student_number=student_number)


@router.get("/students/{student_number}", response=StudentOut, url_name="student")
def get_student(request, student_number: str):
    """Un étudiant par son numéro (404 hors des formations du jeton)."""
    return student_out(student_of(request, student_number))
