"""Business actions on people: planning and applying a roster import, activating an account."""

import uuid

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pixoffice.core import bulk
from pixoffice.tabular import no_cyclic_gc

from . import batches, roster_files, signals
from .models import AcademicYear, Programme, RosterImport, Student, User
from .queries import enrolled, students_visible_to
from .roster_files import ROW_FIELDS
from .roster_plan import RosterChange, RosterPlan, plan_roster_import
from .rules import is_admin

__all__ = ["RosterChange", "RosterPlan", "plan_roster_import", "roster_files"]


def store_roster_file(
    data: bytes,
    *,
    name: str,
    by: User | None,
    mapping: dict,
    academic_year: AcademicYear | None,
    summary: dict | None = None,
    restore_zeros: bool = False,
) -> RosterImport:
    return RosterImport.keep(
        data,
        name=name,
        by=by,
        academic_year=academic_year,
        mapping=mapping,
        summary=summary or {},
        restore_zeros=restore_zeros,
    )


def apply_roster_import(roster_import_id: int) -> RosterImport:
    """Apply a stored roster file in one transaction. Safe to run twice: the second
    run finds the batch applied and does nothing. A refused file writes nothing."""
    with transaction.atomic():
        roster_import = (
            RosterImport.objects.select_for_update(of=("self",))
            .select_related("uploaded_by", "academic_year")
            .get(pk=roster_import_id)
        )
        if roster_import.status in batches.DONE:  # applied, refused, or failed: retry first
            return roster_import
        with roster_import.file.open("rb") as handle:
            data = handle.read()
        plan = plan_roster_import(
            data,
            by=roster_import.uploaded_by,
            mapping={k: int(v) for k, v in roster_import.mapping.items()} or None,
            academic_year=roster_import.academic_year,
            restore_zeros=roster_import.restore_zeros,
        )
        if plan.refused or plan.needs_mapping:
            roster_import.status = RosterImport.Status.REFUSED
            roster_import.summary = plan.summary()
            roster_import.save(update_fields=["status", "summary"])
            return roster_import
        _write_plan(plan, roster_import.academic_year, roster_import)
        roster_import.status = RosterImport.Status.APPLIED
        roster_import.applied_at = timezone.now()
        roster_import.summary = plan.summary()
        roster_import.save(update_fields=["status", "applied_at", "summary"])
    return roster_import


def create_programmes(*, names: list[str], by: User | None) -> list[Programme]:
    """Create the programmes a roster names and the database does not know (an admin's
    action from the preview; ``None`` is the command line). Names compared without case;
    returns the ones created."""
    if by is not None and not is_admin(by):
        raise PermissionDenied
    known = {name.casefold() for name in Programme.objects.values_list("name", flat=True)}
    created = []
    with transaction.atomic():
        for name in names:
            name = name.strip()[: Programme._meta.get_field("name").max_length]
            if name and name.casefold() not in known:
                known.add(name.casefold())
                created.append(Programme.objects.create(name=name))
    return created


def mark_students_left(*, student_ids, by: User, on=None) -> int:
    """Mark students as having left the course (« a quitté la formation », the date):
    only those ``by`` may see and not already marked; nothing is deleted, and a later
    roster that names them clears the date. Returns how many were marked."""
    students = enrolled(students_visible_to(by)).filter(pk__in=list(student_ids))
    return Student.objects.filter(pk__in=list(students.values_list("pk", flat=True))).update(
        left_on=on or timezone.localdate(), updated_at=timezone.now()
    )


def find_roster_student(identifier: str) -> Student | None:
    """The roster student whose number or email is ``identifier``, if any."""
    identifier = identifier.strip()
    if "@" in identifier:
        matches = list(Student.objects.filter(email__iexact=identifier).select_related("user")[:2])
        # an email shared by two roster students identifies nobody
        return matches[0] if len(matches) == 1 else None
    return Student.objects.filter(student_number=identifier).select_related("user").first()


@transaction.atomic
def ensure_student_account(student: Student) -> User | None:
    """The student's user account, created (without a password) on first activation."""
    student = (
        Student.objects.select_for_update(of=("self",)).select_related("user").get(pk=student.pk)
    )
    if student.user is not None:
        return student.user
    user = User.objects.filter(email__iexact=student.email).first()
    if user is not None and Student.objects.filter(user=user).exists():
        return None  # the email is another student's account: staff must correct it
    if user is None:
        user = User(email=student.email, first_name=student.first_name, last_name=student.last_name)
        user.set_unusable_password()
        user.save()
    student.user = user
    student.save(update_fields=["user"])
    return user


def send_activation(
    identifier: str, *, site_url: str, language: str, request_id: str | None = None
) -> bool:
    """Make the activation link for the roster email of the student ``identifier``
    names (number or email), creating their account on first use, and hand it to the
    outbox (``signals.activation_requested``: accounts sits below mail). Nothing
    happens for an identifier that names nobody. ``request_id`` is the request's (a
    task's id): a retry of the same request never sends twice, a new request sends a
    fresh link. Returns whether a mail left now; a sending error is raised after the
    outbox recorded it (it is tried again later)."""
    student = find_roster_student(identifier)
    if student is None or not student.email:
        return False
    user = ensure_student_account(student)
    if user is None:
        return False
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    answers = signals.activation_requested.send(
        sender=User,
        user=user,
        student=student,
        link=site_url.rstrip("/") + path,
        language=language,
        request_id=request_id or uuid.uuid4().hex,
    )
    return any(sent for _receiver, sent in answers)


@no_cyclic_gc()
def _write_plan(plan: RosterPlan, academic_year: AcademicYear | None, batch: RosterImport) -> None:
    """New students with one ``COPY``, changed ones with ``COPY`` into a staging table
    and one ``UPDATE … FROM`` (``pixoffice.core.bulk``); the constraints stay on. Each
    row written records ``batch`` (``created_by_import``, ``last_changed_by_import``)
    in the same statement."""
    now = timezone.now()
    programme_of = {name: p.pk for name, p in plan.programmes.items()}
    created = plan.created
    if count := len(created):
        columns = {name: created.column(name) for name in ROW_FIELDS if name != "programme"}
        id_of = {n: programme_of[n.casefold()] for n in set(created.column("programme"))}
        columns["programme"] = list(map(id_of.__getitem__, created.column("programme")))
        columns["academic_year"] = [academic_year.pk if academic_year else None] * count
        columns["created_at"] = columns["updated_at"] = [now] * count
        columns["created_by_import"] = columns["last_changed_by_import"] = [batch.pk] * count
        for model_field in Student._meta.concrete_fields:  # the others: their defaults
            if not model_field.primary_key and model_field.name not in columns:
                columns[model_field.name] = [model_field.get_default()] * count
        bulk.copy_columns((Student, columns))
    if plan.updated:
        mapped = [n for n in ROW_FIELDS if n in plan.mapping and n != "student_number"]
        fields = [
            *mapped,
            *(["academic_year"] if academic_year else []),
            "left_on",
            "updated_at",
            "last_changed_by_import",
        ]
        rows = []
        for change in plan.updated:
            values = [getattr(change.row, name) for name in mapped]
            if "programme" in mapped:
                values[mapped.index("programme")] = programme_of[change.row.programme.casefold()]
            rows.append(
                (
                    change.student.pk,
                    *values,
                    *([academic_year.pk] if academic_year else []),
                    None,  # named by the file: back in the course
                    now,
                    batch.pk,
                )
            )
        bulk.update_rows(Student, fields, rows)
