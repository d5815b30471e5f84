"""The session page's candidates, for the office: move one to another session, record
everyone's attendance in one form. Within the staff member's programmes: candidates
of other programmes are neither listed nor changed."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certification import attendance, enrolment, queries
from certification.enrolment_forms import MoveForm
from certification.models import Candidate, CertificationSession
from pixoffice.accounts.queries import students_visible_to
from pixoffice.core.locking import LockError
from pixoffice.core.permissions import permission_required

PRESENCE = "presence-"  # the attendance field of candidate n: "presence-<n>"


def move_targets(session: CertificationSession):
    """Sessions a candidate of ``session`` may be moved to: same year, not closed, not
    begun, with their candidates counted (one query)."""
    return (
        queries.sessions_listed(start=timezone.now())
        .filter(academic_year_id=session.academic_year_id)
        .exclude(status=CertificationSession.Status.CLOSED)
        .exclude(pk=session.pk)
    )


def visible_candidates(session, user):
    return session.candidates.filter(student__in=students_visible_to(user)).select_related(
        "student__programme"
    )


def page_context(request, session, candidates, *, move_form=None) -> dict:
    """What the session page needs for placement, moves and attendance."""
    closes = enrolment.closes_at(session)
    return {
        "enrolment_closes": closes,
        "enrolment_default": session.enrolment_closes_at is None,
        "default_closing_hours": enrolment.DEFAULT_CLOSING_HOURS,
        "attendance_choices": Candidate.Attendance.choices,
        "takes_attendance": session.status != CertificationSession.Status.DRAFT,
        "move_form": move_form or MoveForm(candidates=candidates, sessions=move_targets(session)),
        "session_programmes": list(session.programmes.order_by("name")),
    }


@permission_required("certification.manage_sessions")
@require_POST
def move(request, pk):
    session = get_object_or_404(CertificationSession, pk=pk)
    form = MoveForm(
        request.POST,
        candidates=visible_candidates(session, request.user),
        sessions=move_targets(session),
    )
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("certification:session", pk=pk)
    candidate = form.cleaned_data["candidate"]
    try:
        new = enrolment.move(
            candidate_id=candidate.pk,
            to_session_id=form.cleaned_data["to"],
            by=request.user,
            site_url=settings.SITE_URL,
        )
    except (ValidationError, LockError) as error:
        messages.error(
            request, error.message if isinstance(error, LockError) else " ".join(error.messages)
        )
        return redirect("certification:session", pk=pk)
    start = timezone.localtime(new.session.starts_at)
    messages.success(
        request,
        _("%(name)s déplacé·e vers la session du %(day)s à %(time)s (%(room)s).")
        % {
            "name": candidate.student.full_name,
            "day": f"{start:%d/%m/%Y}",
            "time": f"{start:%H:%M}",
            "room": new.session.room,
        },
    )
    return redirect("certification:session", pk=pk)


@permission_required("certification.manage_sessions")
@require_POST
def record_attendance(request, pk):
    session = get_object_or_404(CertificationSession, pk=pk)
    values = {}
    for key, value in request.POST.items():
        if key.startswith(PRESENCE) and key[len(PRESENCE) :].isdigit():
            values[int(key[len(PRESENCE) :])] = value
    try:
        changed = attendance.record_attendance(
            session=session, values=values, candidates=visible_candidates(session, request.user)
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "Présences enregistrées (%(n)d modifiée).",
                "Présences enregistrées (%(n)d modifiées).",
                changed,
            )
            % {"n": changed},
        )
    return redirect("certification:session", pk=pk)
