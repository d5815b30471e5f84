"""Querysets for grading pages and exports."""

from django.db.models import Count, Q, QuerySet

from pixoffice.accounts.queries import programmes_visible_to

from .models import Grid, Note, Scheme


def schemes_visible_to(user) -> QuerySet[Scheme]:
    schemes = Scheme.objects.select_related("academic_year", "semester")
    if not user.is_authenticated:
        return schemes.none()
    if user.is_superuser or user.role == "admin":
        return schemes
    if user.role == "staff":
        return schemes.filter(programmes__assignments__user=user).distinct()
    return schemes.none()


def grids_with_use(grids: QuerySet[Grid]) -> QuerySet[Grid]:
    return grids.select_related("academic_year", "superseded_by").annotate(
        scheme_count=Count("components__scheme", distinct=True)
    )


def notes_visible_to(user, scheme: Scheme) -> QuerySet[Note]:
    """The scheme's notes of the students of the programmes ``user`` follows."""
    return Note.objects.filter(
        scheme=scheme,
        student__programme__in=programmes_visible_to(user),
        student__left_on__isnull=True,  # who left the course: their note stays, unlisted
    ).select_related("student", "student__programme")


def programme_summary(user, scheme: Scheme):
    """Per programme the user follows: notes, validated, published, to publish again."""
    return (
        scheme.programmes.filter(pk__in=programmes_visible_to(user))
        .annotate(
            note_count=Count(
                "students__notes",
                filter=Q(students__notes__scheme=scheme, students__left_on__isnull=True),
            ),
            validated=Count(
                "students__notes",
                filter=Q(students__notes__scheme=scheme, students__left_on__isnull=True)
                & (
                    Q(students__notes__override_result="validated")
                    | Q(students__notes__override_result="", students__notes__result="validated")
                ),
            ),
            published=Count(
                "students__notes",
                filter=Q(
                    students__notes__scheme=scheme,
                    students__left_on__isnull=True,
                    students__notes__published_at__isnull=False,
                ),
            ),
            to_republish=Count(
                "students__notes",
                filter=Q(
                    students__notes__scheme=scheme,
                    students__left_on__isnull=True,
                    students__notes__needs_republication=True,
                ),
            ),
        )
        .order_by("name")
    )


def published_notes_of(student) -> QuerySet[Note]:
    """What a student may see: their own notes, once published."""
    return (
        Note.objects.filter(student=student, published_at__isnull=False)
        .select_related("scheme", "scheme__academic_year", "scheme__semester")
        .order_by("-scheme__academic_year__start", "scheme__name")
    )


def filter_notes(notes: QuerySet[Note], *, programme=None, result="", state="", q=""):
    if programme:
        notes = notes.filter(student__programme=programme)
    if result:
        notes = notes.filter(Q(override_result=result) | Q(override_result="", result=result))
    if state == "overridden":
        notes = notes.exclude(override_result="")
    elif state == "unpublished":
        notes = notes.filter(published_at__isnull=True)
    elif state == "published":
        notes = notes.filter(published_at__isnull=False)
    elif state == "to_republish":
        notes = notes.filter(needs_republication=True)
    if q:
        q = q.strip()
        notes = notes.filter(
            Q(student__last_name__icontains=q)
            | Q(student__first_name__icontains=q)
            | Q(student__student_number__startswith=q)
        )
    return notes
