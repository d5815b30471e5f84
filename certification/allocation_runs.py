"""Allocation proposals: propose (nothing placed yet), review, apply once.

``propose_allocation`` runs the solver (``allocation.solve``, or the plain
``allocation.greedy``) on the chosen programmes' eligible, unplaced students and the
chosen sessions, and stores the result as an ``AllocationRun``: every student of the
run with their session, or why they have none. ``apply_allocation`` then places them
in one transaction: the sessions locked (``lock_rows``), the proposal refused as
stale if a session changed since (seats, time, candidates, the next booking of its
room) or one of its students was placed meanwhile, every placement checked again
against the rules, each session's room booked for its longest extra time. The run
gets the year's next version number; the students whose session is new or changed since
the last version that placed them are told by email, through the outbox (one message
per version and student, by its key).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pixoffice.accounts.models import AcademicYear
from pixoffice.core.bulk import copy_rows
from pixoffice.core.locking import lock_rows
from pixoffice.mail.services import queue_message

from . import allocation, convocations
from .allocation_input import (
    chosen_sessions,
    ineligibility,
    sessions_for_solver,
    snapshot,
    students_for_solver,
    unplaced_students,
)
from .models import (
    NO_OVERLAP,
    AllocationAssignment,
    AllocationRun,
    Candidate,
    CertificationSession,
)
from .services import occupied_until

Reason = AllocationAssignment.Reason


class StaleAllocation(ValidationError):
    """The sessions or students changed since the proposal: nothing was applied."""


def _window(sessions):
    start = min(s.starts_at for s in sessions)
    end = max(s.starts_at for s in sessions) + dt.timedelta(hours=6)
    return start, end


@transaction.atomic
def propose_allocation(
    *, programmes, session_ids, academic_year, by=None, solver="flow", today=None
) -> AllocationRun:
    """Compute and store a proposal for ``programmes`` (a queryset) into the sessions."""
    sessions = [
        s for s in chosen_sessions(session_ids) if s.status != CertificationSession.Status.CLOSED
    ]
    if not sessions:
        raise ValidationError(_("Choisissez au moins une session qui n'est pas close."))
    students = list(unplaced_students(programmes=programmes, academic_year=academic_year))
    refused = ineligibility(students, today=today)
    eligible = [s for s in students if s.pk not in refused]
    solver_sessions = sessions_for_solver(sessions)
    start, end = _window(sessions)
    solver_students = students_for_solver(eligible, start=start, end=end)
    solve = allocation.greedy if solver == AllocationRun.Solver.GREEDY else allocation.solve
    result = solve(solver_students, solver_sessions)
    run = AllocationRun.objects.create(
        academic_year=academic_year,
        solver=solver,
        created_by=by,
        snapshot=snapshot(sessions, solver_sessions),
        summary={
            "students": len(students),
            "eligible": len(eligible),
            "placed": len(result.placed),
            "unplaced": len(students) - len(result.placed),
            "groups_split": allocation.split_groups(solver_students, result.placed),
            "seats": sum(s.seats_free for s in solver_sessions),
        },
    )
    run.programmes.set(programmes)
    run.sessions.set(sessions)
    AllocationAssignment.objects.bulk_create(
        [
            AllocationAssignment(
                run=run,
                student=student,
                session_id=result.placed.get(student.pk),
                reason=(
                    Reason.INELIGIBLE
                    if student.pk in refused
                    else ""
                    if student.pk in result.placed
                    else result.unplaced[student.pk]
                ),
                detail=refused.get(student.pk, "")[:255],
            )
            for student in students
        ],
        batch_size=2000,
    )
    return run


def _stale(why: str) -> StaleAllocation:
    return StaleAllocation(
        _(
            "Cette proposition n'est plus à jour (%(why)s) : rien n'a été appliqué. "
            "Relancez l'allocation pour en obtenir une nouvelle."
        )
        % {"why": why},
        code="stale",
    )


def _check_still_valid(run, sessions, placements) -> None:
    """Raise ``StaleAllocation`` if anything the proposal relied on changed."""
    solver_sessions = sessions_for_solver(sessions)
    if snapshot(sessions, solver_sessions) != run.snapshot:
        raise _stale(_("une session a changé : places, horaire, candidat·e·s ou salle"))
    students = [a.student for a in placements]
    taken = Candidate.objects.filter(student__in=students).exclude(
        session__status=CertificationSession.Status.CLOSED
    )
    if taken.exists():
        raise _stale(_("des étudiant·e·s ont été placé·e·s entre-temps"))
    start, end = _window(sessions)
    solver_students = students_for_solver(students, start=start, end=end)
    placed = {a.student_id: a.session_id for a in placements}
    if allocation.violations(solver_students, solver_sessions, placed):
        raise _stale(_("un temps majoré, un besoin d'accessibilité ou une indisponibilité"))


def apply_allocation(*, run_id: int, by=None, site_url: str = "") -> AllocationRun:
    """Place the proposal's students, in one transaction; see the module docstring."""
    with transaction.atomic():
        lock_rows(AllocationRun, [run_id])
        run = AllocationRun.objects.get(pk=run_id)
        if run.status == AllocationRun.Status.APPLIED:
            raise ValidationError(_("Cette proposition a déjà été appliquée."), code="applied")
        # versions are numbered in the order applied, one application at a time per
        # year (NO KEY UPDATE: rows pointing at the year may still be written)
        lock_rows(AcademicYear, [run.academic_year_id], strength="no key update")
        session_ids = list(run.sessions.values_list("pk", flat=True))
        lock_rows(CertificationSession, session_ids)
        sessions = chosen_sessions(session_ids)
        placements = list(
            run.assignments.filter(session__isnull=False).select_related("student__user")
        )
        _check_still_valid(run, sessions, placements)
        now = timezone.now()
        copy_rows(
            Candidate,
            ["session", "student", "extra_time_percent", "attendance", "placed_at", "placed_by"],
            [
                (a.session_id, a.student_id, a.student.extra_time_percent, "", now, by and by.pk)
                for a in placements
            ],
        )
        try:
            with transaction.atomic():
                for session in sessions:
                    extras = list(session.candidates.values_list("extra_time_percent", flat=True))
                    until = occupied_until(session, extra_times=extras)
                    if until != session.occupied_until:
                        session.occupied_until = until
                        session.save(update_fields=["occupied_until"])
        except IntegrityError as error:
            if NO_OVERLAP in str(error):
                raise _stale(_("la salle d'une session est réservée juste après")) from error
            raise
        last = (
            AllocationRun.objects.filter(academic_year_id=run.academic_year_id).aggregate(
                v=Max("version")
            )["v"]
            or 0
        )
        run.version = last + 1
        run.status = AllocationRun.Status.APPLIED
        run.applied_at = now
        run.applied_by = by
        run.save(update_fields=["version", "status", "applied_at", "applied_by"])
        _notify(run, placements, {s.pk: s for s in sessions}, site_url=site_url)
        # COPY sends no post_save: the candidates of sessions already published get
        # their convocation (and .ics) after commit; the others on publication
        convocations.queue_after_commit(session_ids=session_ids)
    return run


def _notify(run, placements, sessions, *, site_url: str) -> int:
    """Email the students whose session is new or changed since the last applied
    version that placed them, in a session not yet published (a published session's
    candidates get their convocation instead); returns how many messages were queued."""
    earlier = {}
    rows = (
        AllocationAssignment.objects.filter(
            student_id__in=[a.student_id for a in placements],
            run__status=AllocationRun.Status.APPLIED,
            session__isnull=False,
        )
        .exclude(run=run)
        .order_by("student_id", "run__applied_at", "run_id")
        .values_list("student_id", "session_id")
    )
    for student_id, session_id in rows:
        earlier[student_id] = session_id  # the latest version wins
    link = site_url.rstrip("/") + reverse("certification:mine")
    queued = 0
    for assignment in placements:
        before = earlier.get(assignment.student_id)
        if before == assignment.session_id:
            continue
        student = assignment.student
        to = student.email or getattr(student.user, "email", "")
        if not to:
            continue
        session = sessions[assignment.session_id]
        if session.status == CertificationSession.Status.PUBLISHED:
            continue  # their convocation (with its .ics) says it: one email, not two
        _message, created = queue_message(
            key=f"certification:allocation:v{run.version}:student:{student.pk}",
            to=to,
            template="certification_allocated",
            context={
                "student": student,
                "session": session,
                "ends_at": session.end_for(student.extra_time_percent),
                "moved": before is not None,
                "link": link,
            },
            student=student,
        )
        queued += created
    return queued
