"""Querysets that views, exports and later apps reuse."""

from django.db.models import Count, Q, QuerySet

from .models import Programme, Student


def enrolled(students: QuerySet[Student]) -> QuerySet[Student]:
    """Those who have not left the course (``Student.left_on``): what follow-ups,
    reminders and grading count. Their data stays; they are only left out."""
    return students.filter(left_on__isnull=True)


def students_visible_to(user) -> QuerySet[Student]:
    """The students ``user`` may see: all for admins, their programmes' for staff,
    themselves for a student, nobody otherwise."""
    students = Student.objects.select_related("programme", "academic_year")
    if not user.is_authenticated:
        return students.none()
    if user.is_superuser or user.role == "admin":
        return students
    if user.role == "staff":
        return students.filter(programme__assignments__user=user)
    return students.filter(user=user)


def programmes_visible_to(user) -> QuerySet[Programme]:
    programmes = Programme.objects.all()
    if not user.is_authenticated:
        return programmes.none()
    if user.is_superuser or user.role == "admin":
        return programmes
    if user.role == "staff":
        return programmes.filter(assignments__user=user)
    return programmes.none()


def with_student_counts(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    return programmes.annotate(
        student_count=Count("students", distinct=True),
    ).order_by("name")


def search_students(students: QuerySet[Student], q: str) -> QuerySet[Student]:
    """Students whose name, email or student number (its beginning) contains ``q``."""
    q = q.strip()
    if not q:
        return students
    return students.filter(
        Q(last_name__icontains=q)
        | Q(first_name__icontains=q)
        | Q(student_number__startswith=q)
        | Q(email__icontains=q)
    )
