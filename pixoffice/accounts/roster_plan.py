"""Planning a roster import: what it would create, change, leave, and what is absent.

Column by column and with one query for the students concerned (by number or by
programme) and one for the addresses, so that 20,000 rows are planned in tens of
milliseconds: no model instance is made for a row that does not change.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from pixoffice.tabular import FileRefused, no_cyclic_gc, read_table

from . import roster_columns, roster_files, roster_zeros
from .models import AcademicYear, Programme, Student, User
from .queries import programmes_visible_to
from .roster_files import FIELDS, ROW_FIELDS, RosterRow, RowError, Rows

# the columns read for each known student: pk, year, then the roster's fields
_SELECT = [
    "pk",
    "academic_year_id",
    "left_on",
    *("programme_id" if n == "programme" else n for n in ROW_FIELDS),
]
_AT = {name: index for index, name in enumerate(ROW_FIELDS, start=3)}
_LEFT = 2  # a student the file names again is back: the date they left is cleared


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
    created: Rows = field(default_factory=lambda: Rows([], {}))
    updated: list[RosterChange] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)  # the students' ids
    absent: list[Student] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    programmes: dict[str, Programme] = field(default_factory=dict)  # casefolded name →
    unknown_programmes: list[str] = field(default_factory=list)  # named by the file only
    zero_suspects: int = 0  # numbers that seem to have lost their leading zeros
    zeros_restored: bool = False

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


def _any(column: str, values: list, *, stripped: bool = False) -> Q:
    """``column IN values``; on PostgreSQL one array parameter (``= ANY``), which
    neither Django nor the driver has to expand into 20,000 placeholders. With
    ``stripped``: the numbers starting with zeros whose zero-less form is in ``values``."""
    if not values:
        return Q(pk__in=[])
    table = connection.ops.quote_name(Student._meta.db_table)
    name = f"{table}.{connection.ops.quote_name(column)}"
    if stripped:
        match = "= ANY(string_to_array(%s, E'\\n'))" if connection.vendor == "postgresql" else None
        if match is None:
            match = f"IN ({', '.join(['%s'] * len(values))})"
        sql = f"ltrim({name}, '0') {match}"
        params = ["\n".join(values)] if connection.vendor == "postgresql" else list(values)
        where = RawSQL(sql, params, output_field=BooleanField())  # noqa: S611 (names quoted)
        return Q(**{f"{column}__startswith": "0"}) & Q(where)
    if connection.vendor != "postgresql":
        return Q(**{f"{column}__in": values})
    sql = f"{name} = ANY(string_to_array(%s, E'\\n'))"
    # names from the model metadata, quoted; the values (validated: no line break in
    # any) travel as one text parameter, which the driver need not encode as an array
    return Q(RawSQL(sql, ["\n".join(values)], output_field=BooleanField()))  # noqa: S611


@no_cyclic_gc()  # tens of thousands of small objects without cycles
def plan_roster_import(
    data: bytes,
    *,
    by: User | None,
    mapping: dict[str, int] | None = None,
    academic_year: AcademicYear | None = None,
    max_bytes: int | None = None,
    restore_zeros: bool = False,
) -> RosterPlan:
    """Read, validate and compare a roster file with the database. Writes nothing.

    ``by`` limits the programmes a staff member may import to the ones they follow
    (``None`` is the command line, which acts as an admin). ``restore_zeros`` puts back
    the leading zeros a spreadsheet seems to have stripped (``roster_zeros``).
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
    rows, errors, warnings = roster_columns.validate_columns(
        table,
        plan.mapping,
        number_pattern=re.compile(settings.STUDENT_NUMBER_PATTERN),
        number_shape=settings.STUDENT_NUMBER_SHAPE,
    )
    plan.errors.extend(errors)
    plan.warnings.extend(warnings)
    _compare(plan, rows, by=by, academic_year=academic_year, restore_zeros=restore_zeros)
    plan.errors.sort(key=lambda e: e.line)
    plan.warnings.sort(key=lambda e: e.line)
    return plan


def _compare(plan: RosterPlan, rows: Rows, *, by, academic_year, restore_zeros) -> None:
    every = list(Programme.objects.all())
    allowed_ids = (
        {p.pk for p in programmes_visible_to(by)} if by is not None else {p.pk for p in every}
    )
    by_name = {p.name.casefold(): p for p in every}
    numbers = rows.column("student_number")
    names = rows.column("programme")
    lines = rows.lines
    # the programme of each row, decided once per distinct name
    programme_of: dict[str, Programme | None] = {n: by_name.get(n.casefold()) for n in set(names)}
    refused = {n for n, p in programme_of.items() if p is None or p.pk not in allowed_ids}
    unknown: dict[str, str] = {}  # casefolded → the spelling of its first row
    if None in programme_of.values():
        for name in names:
            if programme_of[name] is None:
                unknown.setdefault(name.casefold(), name)
    plan.unknown_programmes = sorted(unknown.values(), key=str.casefold)
    keep: list[int] | range = range(len(rows))
    if refused:
        keep = []
        for index, name in enumerate(names):
            programme = programme_of[name]
            if programme is None:
                plan.errors.append(
                    RowError(
                        lines[index],
                        f"formation « {name} » inconnue : un administrateur doit d'abord la créer.",
                        "Formation",
                    )
                )
            elif name in refused:
                plan.errors.append(
                    RowError(
                        lines[index],
                        f"vous ne suivez pas la formation « {programme.name} ».",
                        "Formation",
                    )
                )
            else:
                keep.append(index)
    for name, programme in programme_of.items():
        if name not in refused:
            plan.programmes[programme.name.casefold()] = programme
    id_of = {n: (p.pk if n not in refused else None) for n, p in programme_of.items()}
    programme_ids = list(map(id_of.__getitem__, names))
    plan_programmes = [p.pk for p in plan.programmes.values()]

    emails = rows.column("email")
    given = list(set(emails) - {""})
    short = roster_zeros.short_numbers(numbers)  # zeros lost?
    known = list(
        Student.objects.filter(
            _any("student_number", numbers)
            | Q(programme_id__in=plan_programmes)
            | _any("email", given)
            | _any("student_number", short, stripped=True)
        )
        .order_by()  # no sort: the default ordering would sort 20,000 rows for nothing
        .values_list(*_SELECT)
    )
    at_number, at_programme = _AT["student_number"], _AT["programme"]
    existing = {student[at_number]: student for student in known}
    numbers = _leading_zeros(plan, rows, known, allowed_ids, restore_zeros)
    _email_warnings(plan, rows, keep, known, allowed_ids)

    mapped = set(plan.mapping)
    compared = [n for n in ROW_FIELDS if n in mapped and n != "student_number"]
    # the year is compared only when the import sets one; a date of leaving never matches
    db_key = itemgetter(*(_AT[n] for n in compared), *([1] if academic_year else []), _LEFT)
    year = [repeat(academic_year.pk)] if academic_year else []
    file_columns = [programme_ids if n == "programme" else rows.column(n) for n in compared]
    matches = list(map(existing.get, numbers))
    created = [i for i in keep if matches[i] is None] if existing else keep
    matched = [i for i in keep if matches[i] is not None] if existing else []
    if by is not None and matched:  # a number of a student the uploader does not follow
        outside = [i for i in matched if matches[i][at_programme] not in allowed_ids]
        for index in outside:
            plan.errors.append(
                RowError(
                    lines[index],
                    f"le numéro {numbers[index]} est celui d'un·e étudiant·e d'une "
                    "formation que vous ne suivez pas.",
                    "Numéro étudiant",
                )
            )
        if outside:
            matched = [i for i in matched if matches[i][at_programme] in allowed_ids]
    file_keys = list(zip(*file_columns, *year, repeat(None))) if matched else []
    same = [db_key(matches[i]) == file_keys[i] for i in matched]
    plan.unchanged = [matches[i][0] for i, equal in zip(matched, same, strict=True) if equal]
    updated = [(i, matches[i]) for i, equal in zip(matched, same, strict=True) if not equal]
    plan.created = rows.take(created)
    by_id = {p.pk: p for p in every}
    years = {y.pk: y for y in AcademicYear.objects.all()} if updated and academic_year else {}
    for index, student in updated:
        row = rows.take([index])[0]
        changes = {}
        for name in compared:
            if name == "programme":
                old, new = by_id[student[at_programme]].name, by_id[programme_ids[index]].name
            else:
                old, new = student[_AT[name]], getattr(row, name)
            if old != new:
                changes[FIELDS[name][0]] = (_display(old), _display(new))
        if academic_year and student[1] != academic_year.pk:
            changes["Année"] = (_display(years.get(student[1])), academic_year.name)
        if student[_LEFT]:
            changes["A quitté la formation le"] = (_display(student[_LEFT]), "")
        plan.updated.append(RosterChange(_student(student, by_id), row, changes))
    file_numbers = set(numbers)
    plan.absent = sorted(
        (
            _student(student, by_id)
            for student in known
            if student[_AT["student_number"]] not in file_numbers
            and student[at_programme] in plan_programmes
        ),
        key=lambda s: (s.last_name, s.first_name, s.student_number),
    )


def _leading_zeros(plan, rows: Rows, known, allowed_ids, restore: bool) -> list[str]:
    """Warn about numbers that seem to have lost their leading zeros; with ``restore``,
    put them back (in ``rows``). Returns the numbers of the file, as compared."""
    numbers = rows.column("student_number")
    at_number, at_programme = _AT["student_number"], _AT["programme"]
    zero_known = {
        s[at_number]: s[at_programme] in allowed_ids for s in known if s[at_number][:1] == "0"
    }
    suspects = roster_zeros.find_suspects(numbers, rows.lines, zero_known)
    plan.zero_suspects = len(suspects)
    plan.zeros_restored = restore and bool(suspects)
    for suspect in suspects:
        line = rows.lines[suspect.index]
        visible = zero_known.get(suspect.padded, True)
        plan.warnings.append(roster_zeros.warning(suspect, line, visible=visible, restored=restore))
    if not (restore and suspects):
        return numbers
    numbers = list(numbers)
    for suspect in suspects:
        if suspect.known != "file":
            numbers[suspect.index] = suspect.padded
    rows.columns["student_number"] = numbers
    return numbers


def _student(values: tuple, programmes: dict[int, Programme]) -> Student:
    """A ``Student`` from the columns read (shown in the preview, never saved)."""
    student = Student(pk=values[0], academic_year_id=values[1], left_on=values[_LEFT])
    for name, at in _AT.items():
        setattr(student, "programme_id" if name == "programme" else name, values[at])
    student.programme = programmes[student.programme_id]
    return student


def _email_warnings(plan: RosterPlan, rows: Rows, keep, known: list[tuple], allowed_ids) -> None:
    """Say an address is already used; name its owner only if the uploader sees them."""
    emails = rows.column("email")
    file_numbers = set(rows.column("student_number"))
    file_emails = set(emails) - {""}
    owners: dict[str, set[str]] = defaultdict(set)
    hidden: set[str] = set()
    at_email, at_number, at_programme = _AT["email"], _AT["student_number"], _AT["programme"]
    for student in known:
        email = student[at_email]
        if email not in file_emails or student[at_number] in file_numbers:
            continue
        if student[at_programme] in allowed_ids:
            owners[email].add(student[at_number])
        else:
            hidden.add(email)
    if not owners and not hidden:
        return
    for index in keep:
        email = emails[index]
        if email and (warning := _email_warning(email, owners, hidden)):
            plan.warnings.append(RowError(rows.lines[index], warning, "Courriel"))


def _email_warning(email: str, owners: dict[str, set[str]], hidden: set[str]) -> str:
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
