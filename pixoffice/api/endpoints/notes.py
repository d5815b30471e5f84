"""Published notes: the snapshot a publication made (``Note.published_*``), the only
fields a student or the information system export ever reads."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from grading.queries import published_notes_of
from pixoffice.api import queries
from pixoffice.api.pagination import PageQuery, paginate
from pixoffice.api.schemas import PARIS, NoteOut, Page

from .people import student_of

router = Router(tags=["notes"])


def scheme_out(scheme) -> dict:
    return {
        "id": scheme.pk,
        "name": scheme.name,
        "academic_year": scheme.academic_year.name,
        "semester": scheme.semester.number if scheme.semester_id else None,
        "scale": scheme.scale,
    }


def note_out(note, student) -> dict:
    return {
        "student_number": student.student_number,
        "last_name": student.last_name,
        "first_name": student.first_name,
        "programme": student.programme.name,
        "scheme": scheme_out(note.scheme),
        # an absence publishes its code and no number (as the export's « Note » column)
        "value": None if note.published_absence_code else note.published_value,
        "result": note.published_result,
        "absence_code": note.published_absence_code,
        "published_at": note.published_at,
    }


class NoteFilters(Schema):
    programme: int | None = Field(None, description="Id d'une formation du jeton.")
    scheme: int | None = Field(None, description="Id d'une modalité d'évaluation.")
    academic_year: str | None = Field(None, description="Année universitaire, ex. 2026-2027.")
    published_since: dt.datetime | None = Field(
        None, description="Publiées depuis (ISO 8601 ; sans décalage : heure de Paris)."
    )


@router.get("/notes", response=Page[NoteOut], url_name="notes")
def list_notes(request, page: Query[PageQuery], filters: Query[NoteFilters]):
    """Les notes publiées des étudiants des formations du jeton (une note non publiée
    n'apparaît jamais). Filtres : ``programme`` (id), ``scheme`` (id de la modalité),
    ``academic_year``, ``published_since`` (ISO 8601)."""
    notes = queries.published_notes_of(request.auth)
    if filters.programme is not None:
        notes = notes.filter(student__programme_id=filters.programme)
    if filters.scheme is not None:
        notes = notes.filter(scheme_id=filters.scheme)
    if filters.academic_year:
        notes = notes.filter(scheme__academic_year__name=filters.academic_year)
    if filters.published_since is not None:
        since = filters.published_since
        if timezone.is_naive(since):
            since = timezone.make_aware(since, PARIS)
        notes = notes.filter(published_at__gte=since)
    items, envelope = paginate(notes, page)
    return {**envelope, "items": [note_out(n, n.student) for n in items]}


@router.get("/students/{student_number}/notes", response=list[NoteOut], url_name="student_notes")
def list_student_notes(request, student_number: str):
    """Les notes publiées d'un étudiant, comme il les voit (404 hors des formations du
    jeton)."""
    student = student_of(request, student_number)
    return [note_out(note, student) for note in published_notes_of(student)]
