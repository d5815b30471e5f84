"""Business actions on people: planning and applying a roster import, activating an account."""

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pixoffice.tabular import FileRefused, read_table

from . import batches, roster_files, signals
from .models import AcademicYear, Programme, RosterImport, Student, User
from .queries import programmes_visible_to
from .roster_files import FIELDS, RosterRow, RowError


@dataclass
class RosterChange:
    student: Student
    row: RosterRow
    changes: dict[str, tuple[str, str]]  # field label → (old, new)


@dataclass
class RosterPlan:
    """What an import would do, computed without writing anything."""

    header: list[str] = field(default_factory=list)
    mapping: dict[str, int] = field(default_factory=dict)
    rows: int = 0
    created: list[RosterRow] = field(default_factory=list)
    updated: list[RosterChange] = field(default_factory=list)
    unchanged: list[Student] = field(default_factory=list)
    absent: list[Student] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    programmes: dict[str, Programme] = field(default_factory=dict)  # casefolded name →

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    @property
    def needs_mapping(self) -> bool:
        return bool(roster_files.missing_fields(self.mapping))

    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "absent": len(self.absent),
            "errors": [
                {"row": e.line, "column": e.column, "message": e.message} for e in self.errors
            ],
            "warnings": [
                {"row": e.line, "column": e.column, "message": e.message} for e in self.warnings
            ],
        }


def _display(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def plan_roster_import(
    data: bytes,
    *,
    by: User | None,
    mapping: dict[str, int] | None = None,
    academic_year: AcademicYear | None = None,
    max_bytes: int | None = None,
) -> RosterPlan:
    """Read, validate and compare a roster file with the database. Writes nothing.

    ``by`` limits the programmes a staff member may import to the ones they follow
    (``None`` is the command line, which acts as an admin).
    """
    plan = RosterPlan()
    try:
        table = read_table(data, max_bytes=max_bytes)
    except FileRefused as error:
        plan.errors.append(RowError(0, str(error)))
        return plan
    plan.header = table.header
    plan.rows = len(table.rows)
    plan.mapping = dict(mapping) if mapping else roster_files.guess_mapping(table.header)
    for name, index in plan.mapping.items():
        if name not in FIELDS or not 0 <= index < len(table.header):
            plan.errors.append(RowError(0, f"Correspondance de colonnes invalide pour « {name} »."))
            return plan
    if plan.needs_mapping and mapping is None:
        return plan  # the view asks the user to map the columns
    rows, errors, warnings = roster_files.validate_rows(
        table,
        plan.mapping,
        number_pattern=re.compile(settings.STUDENT_NUMBER_PATTERN),
        number_shape=settings.STUDENT_NUMBER_SHAPE,
    )
    plan.errors.extend(errors)
    plan.warnings.extend(warnings)

    allowed = programmes_visible_to(by) if by is not None else Programme.objects.all()
    allowed_names = {p.name: p for p in allowed}
    all_names = {p.name.casefold(): p for p in Programme.objects.all()}
    existing = {
        s.student_number: s
        for s in Student.objects.select_related("programme", "academic_year").filter(
            student_number__in=[r.student_number for r in rows]
        )
    }
    emails = {r.email for r in rows if r.email}
    file_numbers = {r.student_number for r in rows}
    # who already has an address of the file: named only inside the uploader's scope
    email_owners: dict[str, set[str]] = defaultdict(set)
    hidden_owners: set[str] = set()
    allowed_ids = {p.pk for p in allowed_names.values()}
    for email, number, programme_id in Student.objects.filter(email__in=emails).values_list(
        "email", "student_number", "programme_id"
    ):
        if number in file_numbers:
            continue
        if programme_id in allowed_ids:
            email_owners[email].add(number)
        else:
            hidden_owners.add(email)
    mapped = set(plan.mapping)
    for row in rows:
        programme = all_names.get(row.programme.casefold())
        if programme is None:
            plan.errors.append(
                RowError(
                    row.line,
                    f"formation « {row.programme} » inconnue : un administrateur doit d'abord la créer.",
                    "Formation",
                )
            )
            continue
        if programme.name not in allowed_names:
            plan.errors.append(
                RowError(
                    row.line, f"vous ne suivez pas la formation « {programme.name} ».", "Formation"
                )
            )
            continue
        plan.programmes[programme.name.casefold()] = programme
        if warning := _email_warning(row.email, email_owners, hidden_owners):
            plan.warnings.append(RowError(row.line, warning, "Courriel"))
        student = existing.get(row.student_number)
        if student is None:
            plan.created.append(row)
            continue
        if by is not None and student.programme.name not in allowed_names:
            plan.errors.append(
                RowError(
                    row.line,
                    f"le numéro {row.student_number} est celui d'un·e étudiant·e d'une "
                    "formation que vous ne suivez pas.",
                    "Numéro étudiant",
                )
            )
            continue
        changes = {}
        for name, value in row.values().items():
            if name == "student_number" or name not in mapped:
                continue
            if name == "programme":
                old, new = student.programme.name, programme.name
            else:
                old, new = getattr(student, name), value
            if old != new:
                changes[FIELDS[name][0]] = (_display(old), _display(new))
        if academic_year and student.academic_year_id != academic_year.pk:
            changes["Année"] = (_display(student.academic_year), academic_year.name)
        if changes:
            plan.updated.append(RosterChange(student, row, changes))
        else:
            plan.unchanged.append(student)

    if plan.programmes:
        plan.absent = list(
            Student.objects.select_related("programme")
            .filter(programme__in={p.pk for p in plan.programmes.values()})
            .exclude(student_number__in=file_numbers)
        )
    plan.errors.sort(key=lambda e: e.line)
    plan.warnings.sort(key=lambda e: e.line)
    return plan


def _email_warning(email: str, owners: dict[str, set[str]], hidden: set[str]) -> str:
    """Say an address is already used; name its owner only if the uploader sees them."""
    named = ", ".join(sorted(owners.get(email, ())))
    if named and email in hidden:
        return (
            f"l'adresse {email} est aussi celle de l'étudiant·e {named} déjà en base, "
            "et d'un·e étudiant·e d'une formation que vous ne suivez pas."
        )
    if named:
        return f"l'adresse {email} est aussi celle de l'étudiant·e {named} déjà en base."
    if email in hidden:
        return f"l'adresse {email} est déjà celle d'un·e autre étudiant·e en base."
    return ""


def store_roster_file(
    data: bytes,
    *,
    name: str,
    by: User | None,
    mapping: dict,
    academic_year: AcademicYear | None,
    summary: dict | None = None,
) -> RosterImport:
    return RosterImport.keep(
        data, name=name, by=by, academic_year=academic_year, mapping=mapping, summary=summary or {}
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
        )
        if plan.refused or plan.needs_mapping:
            roster_import.status = RosterImport.Status.REFUSED
            roster_import.summary = plan.summary()
            roster_import.save(update_fields=["status", "summary"])
            return roster_import
        _write_plan(plan, roster_import.academic_year)
        roster_import.status = RosterImport.Status.APPLIED
        roster_import.applied_at = timezone.now()
        roster_import.summary = plan.summary()
        roster_import.save(update_fields=["status", "applied_at", "summary"])
    return roster_import


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


def _write_plan(plan: RosterPlan, academic_year: AcademicYear | None) -> None:
    mapped = set(plan.mapping)
    now = timezone.now()

    def fields_of(row: RosterRow) -> dict:
        values = {k: v for k, v in row.values().items() if k in mapped or k == "student_number"}
        values["programme"] = plan.programmes[row.programme.casefold()]
        return values

    Student.objects.bulk_create(
        [
            Student(**fields_of(row), academic_year=academic_year, created_at=now, updated_at=now)
            for row in plan.created
        ],
        batch_size=1000,
    )
    update_fields = {"updated_at"}
    for change in plan.updated:
        for name, value in fields_of(change.row).items():
            setattr(change.student, name, value)
            update_fields.add(name)
        if academic_year:
            change.student.academic_year = academic_year
            update_fields.add("academic_year")
        change.student.updated_at = now
    if plan.updated:
        update_fields.discard("student_number")
        Student.objects.bulk_update(
            [c.student for c in plan.updated], sorted(update_fields), batch_size=1000
        )
