"""Downloads of the certification documents: a student's own convocation; a session's
convocations and attendance sheet; every document of a day (zip).

Staff get the candidates of the programmes they follow (as on the session page); an
attendance sheet says how many others it leaves out. A student gets their own
convocation of a published (or closed) session, and a 404 for anyone else's.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certification import documents
from certification.models import Candidate, CertificationSession
from pixoffice.accounts.queries import students_visible_to
from pixoffice.accounts.rules import is_student
from pixoffice.core.downloads import download
from pixoffice.core.permissions import permission_required


@login_required
def my_convocation(request, pk):
    if not is_student(request.user):  # admins too: a superuser has every permission
        raise PermissionDenied
    candidate = get_object_or_404(
        Candidate.objects.filter(
            student=request.user.student, session__status__in=documents.DOCUMENT_STATUSES
        ).select_related("student__programme", "session__room__site"),
        pk=pk,
    )
    return download(
        documents.convocations_pdf([candidate]), documents.convocation_filename(candidate)
    )


def _split(request, sessions):
    """The candidates the staff member may see, and per session how many others."""
    ids = set(students_visible_to(request.user).values_list("pk", flat=True))
    shown, hidden = [], {}
    for candidate in documents.candidates_of(sessions):
        if candidate.student_id in ids:
            shown.append(candidate)
        else:
            hidden[candidate.session_id] = hidden.get(candidate.session_id, 0) + 1
    return shown, hidden


@permission_required("certification.manage_sessions")
def session_convocations(request, pk):
    session = get_object_or_404(CertificationSession.objects.select_related("room__site"), pk=pk)
    candidates, _hidden = _split(request, [session.pk])
    if not candidates:
        messages.error(request, _("Aucun·e candidat·e de vos formations dans cette session."))
        return redirect("certification:session", pk=pk)
    return download(
        documents.convocations_pdf(candidates), documents.session_convocations_filename(session)
    )


@permission_required("certification.manage_sessions")
def session_attendance(request, pk):
    session = get_object_or_404(
        CertificationSession.objects.select_related("room__site").prefetch_related("invigilators"),
        pk=pk,
    )
    candidates, hidden = _split(request, [session.pk])
    return download(
        documents.attendance_pdf(session, candidates, hidden=hidden.get(session.pk, 0)),
        documents.attendance_filename(session),
    )


@permission_required("certification.manage_sessions")
def day_documents(request):
    """``?jour=YYYY-MM-DD`` (default today): the day's published and closed sessions."""
    try:
        day = dt.date.fromisoformat(request.GET.get("jour", ""))
    except ValueError:
        day = timezone.localdate()
    sessions = list(documents.sessions_of_day(day))
    if not sessions:
        messages.error(
            request, _("Aucune session publiée le %(day)s.") % {"day": f"{day:%d/%m/%Y}"}
        )
        monday = day - dt.timedelta(days=day.weekday())
        return redirect(f"{reverse('certification:session_list')}?semaine={monday:%Y-%m-%d}")
    candidates, hidden = _split(request, [s.pk for s in sessions])
    return download(
        documents.day_zip(day, sessions, candidates, hidden=hidden),
        documents.day_filename(day),
        content_type="application/zip",
    )
