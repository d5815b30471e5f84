"""Importing Pix certification results: plan (parse and match, nothing written), then
apply in one transaction. Rows are keyed by their certification number, so importing
the same file again changes nothing. Unmatched rows are kept (``student`` empty)."""

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from pixoffice.accounts.models import Student
from pixoffice.tabular import FileRefused

from .attendance import mark_present
from .models import CertificationResult, CertificationSession
from .results_files import ParsedResults, ResultRow, RowError, parse_results

FIELDS = [
    "session_number", "first_name", "last_name", "birth_date", "birth_place", "external_id",
    "kind", "status", "level", "score", "competences", "comment", "centre", "taken_on",
]  # fmt: skip


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = (c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(kept).split())


@dataclass
class ResultsPlan:
    parsed: ParsedResults = field(default_factory=ParsedResults)
    students: dict = field(default_factory=dict)  # line → Student
    refused: str = ""  # the whole file refused: why

    @property
    def errors(self) -> list[RowError]:
        return self.parsed.errors

    @property
    def ok(self) -> bool:
        return not self.refused and not self.errors

    def summary(self) -> dict:
        rows = self.parsed.rows
        return {
            "candidates": len(rows),
            "matched": sum(1 for r in rows if r.line in self.students),
            "unmatched": sum(1 for r in rows if r.line not in self.students),
            "statuses": dict(Counter(r.status_label for r in rows)),
            "errors": [
                {"row": e.line, "column": e.column, "message": e.message}
                for e in ([RowError(0, self.refused)] if self.refused else self.errors)
            ],
        }


def match_students(rows: list[ResultRow], students) -> dict:
    """Line → student: by external id (the student number), then by name and birth date."""
    ids = {r.external_id for r in rows if r.external_id}
    by_number = {s.student_number: s for s in students.filter(student_number__in=ids)}
    matched, left = {}, []
    for row in rows:
        student = by_number.get(row.external_id)
        if student is not None:
            matched[row.line] = student
        elif row.birth_date is not None:
            left.append(row)
    if left:
        by_identity = {}
        candidates = students.filter(birth_date__in={r.birth_date for r in left})
        for s in candidates:
            by_identity.setdefault(
                (_key(s.last_name), _key(s.first_name), s.birth_date), []
            ).append(s)
            if s.birth_name:
                by_identity.setdefault(
                    (_key(s.birth_name), _key(s.first_name), s.birth_date), []
                ).append(s)
        for row in left:
            found = by_identity.get((_key(row.last_name), _key(row.first_name), row.birth_date), [])
            if len({s.pk for s in found}) == 1:  # never guess between namesakes
                matched[row.line] = found[0]
    return matched


def plan_results_import(data: bytes, *, session_number: int | None = None, students=None):
    """Parse and match; ``students``: whom rows may be matched to (all by default)."""
    try:
        parsed = parse_results(data)
    except FileRefused as error:
        return ResultsPlan(refused=str(error))
    if session_number is not None:
        for row in parsed.rows:
            if row.session_number not in (None, session_number):
                parsed.errors.append(
                    RowError(
                        row.line,
                        f"la ligne est de la session {row.session_number}, "
                        f"pas de la session {session_number} (colonne « Session »).",
                        "Session",
                    )
                )
    plan = ResultsPlan(parsed=parsed)
    if plan.ok:
        plan.students = match_students(
            parsed.rows, Student.objects.all() if students is None else students
        )
    return plan


@transaction.atomic
def apply_results_import(plan: ResultsPlan) -> dict:
    """Write the plan's rows; returns how many were created, changed, unchanged."""
    if not plan.ok:
        raise ValueError("a refused plan cannot be applied")
    rows = plan.parsed.rows
    existing = {
        r.certification_number: r
        for r in CertificationResult.objects.select_for_update().filter(
            certification_number__in=[row.certification_number for row in rows]
        )
    }
    sessions = dict(
        CertificationSession.objects.filter(
            pix_session_number__in={r.session_number for r in rows if r.session_number}
        ).values_list("pix_session_number", "pk")
    )
    counts = Counter()
    new = []
    sat = set()  # (session, student): a result came back, so they were there
    for row in rows:
        values = {name: getattr(row, name) for name in FIELDS}
        student = plan.students.get(row.line)
        result = existing.get(row.certification_number)
        if result is None:
            if student is not None and sessions.get(row.session_number):
                sat.add((sessions[row.session_number], student.pk))
            new.append(
                CertificationResult(
                    certification_number=row.certification_number,
                    student=student,
                    session_id=sessions.get(row.session_number),
                    **values,
                )
            )
            counts["created"] += 1
            continue
        student = student or result.student  # a link made by hand stays
        values |= {"student_id": student.pk if student else None}
        values["session_id"] = sessions.get(row.session_number, result.session_id)
        if values["student_id"] and values["session_id"]:
            sat.add((values["session_id"], values["student_id"]))
        changed = {k: v for k, v in values.items() if getattr(result, k) != v}
        if changed:
            CertificationResult.objects.filter(pk=result.pk).update(**changed)
            counts["changed"] += 1
        else:
            counts["unchanged"] += 1
    CertificationResult.objects.bulk_create(new)
    return {
        "created": counts["created"],
        "changed": counts["changed"],
        "unchanged": counts["unchanged"],
        "marked_present": mark_present(sat),
    }
