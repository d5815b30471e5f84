"""Matching an export's rows to students and to the shares already stored."""

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Participation, Share
from campaigns.pix_files import ASSESSMENT, ParsedFile, ParsedRow, RowError
from pixoffice.accounts.models import Student

if TYPE_CHECKING:  # the plan module imports this one
    from .plan import ResultPlan


def _match(
    plan: "ResultPlan", parsed: ParsedFile, campaign: Campaign, scope: QuerySet[Student] | None
) -> None:
    """Match the rows to the students of ``scope`` (``None``: every student)."""
    by_identifier: dict[str, list[ParsedRow]] = defaultdict(list)
    for row in parsed.rows:
        by_identifier[row.identifier].append(row)
    plan.participants = list(by_identifier)
    plan.first_rows = {key: rows[0] for key, rows in by_identifier.items()}

    assessment = parsed.kind == ASSESSMENT
    if assessment:  # what Pix says of each participation now: its current row
        plan.current_rows = {key: _current_row(rows) for key, rows in by_identifier.items()}
    existing = {}
    for identifier, pk, student_id, progress, *names in Participation.objects.filter(
        campaign=campaign
    ).values_list(
        "identifier", "id", "student_id", "progression", "started_at", "last_name", "first_name",
        "group",
    ):  # fmt: skip
        existing[identifier] = student_id
        plan.participation_ids[identifier] = pk
        started_at, names = names[0], names[1:]
        if (row := plan.first_rows.get(identifier)) is not None:
            _note_renaming(plan, identifier, names, row)
        current = plan.current_rows.get(identifier)
        if current is not None and (progress, started_at) != (
            current.progression,
            current.started_at,
        ):
            plan.progressed.append(identifier)
    stored: dict[str, list[tuple]] = defaultdict(list)
    # shares imported before the rows were kept (no header): the same sending in this file
    # completes them, once
    without_row: dict[tuple, int] = {}
    for identifier, *share, header_id in Share.objects.filter(
        participation__campaign=campaign
    ).values_list(
        "participation__identifier", "id", "shared_at", "total_pix", "mastery_rate", "counts",
        "header_id",
    ):  # fmt: skip
        stored[identifier].append(tuple(share))
        if header_id is None:
            without_row[(identifier, share[1])] = share[0]
    plan.stored_shares = stored
    known_shares = {
        (identifier, share[1]) for identifier, shares in stored.items() for share in shares
    }
    # old exports give only the UTC date of a sending: the same participant, UTC date and
    # results is the same sending, whichever of the two exports came first
    same_day = {
        (identifier, share[1].date(), share[2], share[3])
        for identifier, shares in stored.items()
        for share in shares
    }
    stored_day_only = {
        (identifier, share[1].date(), share[2], share[3])
        for identifier, shares in stored.items()
        for share in shares
        if _date_only(share[1])
    }
    by_number, by_email = _roster_keys(
        [row for key, row in plan.first_rows.items() if not existing.get(key)], scope
    )

    # student → the identifier of their participation (stored, then from the file)
    owners = {student: key for key, student in existing.items() if student}
    deadline = campaign.deadline
    for key, rows in by_identifier.items():
        student_id = existing.get(key, 0)
        if student_id == 0:
            plan.new_participants.append(key)
        if student_id:
            plan.linked[key] = student_id
        else:
            row = rows[0]
            student_id = by_number.get(row.student_number) or by_number.get(row.external_id)
            if not student_id and by_email:
                student_id = by_email.get(row.external_id.lower())
            if student_id:
                plan.matches[key] = student_id
            else:
                plan.unmatched.append(key)
        if student_id:
            _one_participation_per_student(plan, owners, student_id, key, rows[0])
        shared = False
        for row in rows:
            if row.shared:
                shared = True
                if known_shares and (
                    (key, row.shared_at) in known_shares
                    or _same_sending(key, row, same_day, stored_day_only)
                ):
                    plan.shares_unchanged += 1
                    if (share_id := without_row.get((key, row.shared_at))) is not None:
                        plan.completed.append((share_id, row))
                else:
                    plan.new_shares.append(row)
        if not shared:
            plan.not_shared.append(key)
    plan.late_shares = sum(row.shared_at > deadline for row in plan.new_shares)
    if scope is not None and plan.unmatched:  # how many, never whom
        outside_number, outside_email = _roster_keys(
            [plan.first_rows[key] for key in plan.unmatched], None
        )
        plan.outside_scope = sum(
            1
            for row in map(plan.first_rows.__getitem__, plan.unmatched)
            if outside_number.get(row.student_number)
            or outside_number.get(row.external_id)
            or outside_email.get(row.external_id.lower())
        )


def _current_row(rows: list[ParsedRow]) -> ParsedRow:
    """A participant's current row: the one not shared yet (Pix lists the running
    participation beside the shared ones), else the latest sending."""
    pending = [row for row in rows if not row.shared]
    if pending:
        return pending[-1]
    return max(rows, key=lambda row: row.shared_at)


NAME_FIELDS = {"last_name": "nom", "first_name": "prénom", "group": "groupe"}


def _note_renaming(plan: "ResultPlan", identifier: str, stored: list[str], row: ParsedRow):
    """The latest export wins: a corrected name or a new group replaces the stored one,
    and the preview lists each change."""
    changes = {
        label: (old, new)
        for (field, label), old, new in zip(
            NAME_FIELDS.items(),
            stored,
            (row.last_name[:150], row.first_name[:150], row.group[:150]),
            strict=True,
        )
        if old != new
    }
    if changes:
        plan.renamed[identifier] = (row.line, changes)


def _date_only(when) -> bool:
    """A sending known only by its date (old header ``Date de l'envoi``): midnight UTC."""
    return when.hour == when.minute == when.second == when.microsecond == 0


def _same_sending(key: str, row: ParsedRow, same_day: set, stored_day_only: set) -> bool:
    """The row is a stored sending known with another precision: a date-only row and a
    stored share of that UTC day, or a stored date-only share and a row of its day, with
    the same results (total pix, mastery rate)."""
    day = (key, row.shared_at.date(), row.total_pix, row.mastery_rate)
    return day in stored_day_only or (_date_only(row.shared_at) and day in same_day)


def _one_participation_per_student(plan, owners: dict, student_id: int, key: str, row) -> None:
    """Refuse a row whose identifier resolves to a student who already has a participation
    under another identifier (in this file or stored): each student has one participation
    per campaign (a database constraint), whose counting share the note uses."""
    owner = owners.setdefault(student_id, key)
    if owner == key:
        return
    first = plan.first_rows.get(owner)
    where = (
        _("la ligne %(line)s") % {"line": first.line}
        if first
        else _("une participation déjà enregistrée")
    )
    plan.errors.append(
        RowError(
            row.line,
            _(
                "l'identifiant %(key)s désigne le même étudiant·e que %(where)s (identifiant "
                "%(owner)s) : une seule participation par étudiant·e. Corrigez le numéro "
                "étudiant ou l'identifiant externe de l'une des deux lignes."
            )
            % {"key": key, "where": where, "owner": owner},
        )
    )


def _roster_keys(
    rows: list[ParsedRow], scope: QuerySet[Student] | None
) -> tuple[dict[str, int], dict[str, int]]:
    """Ids of the students of ``scope`` (``None``: all) by number and by lower-case
    e-mail, for the identifiers of ``rows``."""
    numbers = {row.student_number for row in rows} | {row.external_id for row in rows}
    numbers.discard("")
    emails = {number.lower() for number in numbers if "@" in number}
    numbers = {number for number in numbers if "@" not in number} if emails else numbers
    if not numbers and not emails:
        return {}, {}
    students = Student.objects.all() if scope is None else scope
    if len(numbers) + len(emails) < 2000:  # else reading the roster beats a huge IN
        students = students.filter(Q(student_number__in=numbers) | Q(email__in=emails))
    if not emails:
        return dict(students.values_list("student_number", "pk")), {}
    by_number, by_email = {}, {}
    for pk, number, email in students.values_list("pk", "student_number", "email"):
        by_number[number] = pk
        by_email.setdefault(email.lower(), pk)
    return by_number, by_email
