"""Staff pages: the week of sessions, a session and its candidates."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certification import documents, enrolment, exports, queries, services
from certification.forms import PlaceForm, SessionForm
from certification.models import Candidate, CertificationSession
from certification.views import candidates as candidates_views
from pixoffice.accounts.queries import students_visible_to
from pixoffice.core.downloads import download
from pixoffice.core.locking import LockError
from pixoffice.core.permissions import permission_required
from rooms.models import Site


def _monday(text: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(text or "")
    except ValueError:
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


@permission_required("certification.manage_sessions")
def session_list(request):
    monday = _monday(request.GET.get("semaine"))
    sites = list(Site.objects.order_by("name"))
    site = next((s for s in sites if str(s.pk) == request.GET.get("site")), None)
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time()))
    sessions = list(
        queries.sessions_listed(site=site, start=start, end=start + dt.timedelta(days=7))
    )
    flagged = queries.conflicting_session_ids(sessions)
    days = []
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        on_day = [s for s in sessions if timezone.localdate(s.starts_at) == day]
        for s in on_day:
            s.invigilator_conflict = s.pk in flagged
        days.append((day, on_day))
    return render(
        request,
        "certification/session_list.html",
        {
            "days": days,
            "sessions": sessions,
            "document_days": documents.days_with_documents(sessions),
            "sites": sites,
            "site": site,
            "monday": monday,
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
        },
    )


def _edit(request, session):
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_session(
                session=form.instance,
                invigilators=form.cleaned_data["invigilators"],
                programmes=form.cleaned_data["programmes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Session enregistrée."))
            return redirect("certification:session", pk=saved.pk)
    return render(request, "certification/session_form.html", {"form": form, "session": session})


@permission_required("certification.manage_sessions")
def session_create(request):
    return _edit(request, CertificationSession())


@permission_required("certification.manage_sessions")
def session_edit(request, pk):
    return _edit(request, get_object_or_404(CertificationSession, pk=pk))


def _session_page(request, session, place_form=None):
    visible = students_visible_to(request.user)
    candidates = candidates_views.visible_candidates(session, request.user).order_by(
        "student__last_name", "student__first_name"
    )
    return render(
        request,
        "certification/session_detail.html",
        {
            "session": session,
            "candidates": candidates,
            "missing": [
                (c, m) for c in candidates if (m := exports.missing_for_pix_certif(c.student))
            ],
            "placed": session.candidates.count(),
            "conflicts": list(queries.invigilator_conflicts(session)),
            "invigilators": list(session.invigilators.all()),
            "place_form": place_form or PlaceForm(students=visible),
            **candidates_views.page_context(request, session, candidates),
        },
    )


@permission_required("certification.manage_sessions")
def session_detail(request, pk):
    session = get_object_or_404(CertificationSession.objects.select_related("room__site"), pk=pk)
    return _session_page(request, session)


def _transition(request, pk, action, done):
    session = get_object_or_404(CertificationSession, pk=pk)
    try:
        action(session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("certification:session", pk=pk)


@permission_required("certification.manage_sessions")
@require_POST
def publish(request, pk):
    return _transition(request, pk, services.publish_session, _("Session publiée."))


@permission_required("certification.manage_sessions")
@require_POST
def close(request, pk):
    return _transition(request, pk, services.close_session, _("Session close."))


@permission_required("certification.manage_sessions")
@require_POST
def place(request, pk):
    session = get_object_or_404(CertificationSession.objects.select_related("room__site"), pk=pk)
    form = PlaceForm(request.POST, students=students_visible_to(request.user))
    if form.is_valid():
        try:
            _candidate, warnings = enrolment.place(
                session_id=pk, student=form.student, by=request.user, site_url=settings.SITE_URL
            )
        except ValidationError as error:
            form.add_error("student_number", error)
        except LockError as error:
            form.add_error("student_number", error.message)
        else:
            messages.success(request, _("%(name)s placé·e.") % {"name": form.student.full_name})
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("certification:session", pk=pk)
    return _session_page(request, session, place_form=form)


@permission_required("certification.manage_sessions")
@require_POST
def remove(request, pk):
    candidate = get_object_or_404(
        Candidate.objects.filter(student__in=students_visible_to(request.user)), pk=pk
    )
    try:
        enrolment.remove(candidate_id=candidate.pk, by=request.user, site_url=settings.SITE_URL)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except LockError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s retiré·e.") % {"name": candidate.student.full_name})
    return redirect("certification:session", pk=candidate.session_id)


@permission_required("certification.manage_sessions")
def pix_certif_export(request, pk):
    """The session's candidates (those of the staff member's programmes) for Pix Certif."""
    session = get_object_or_404(CertificationSession, pk=pk)
    candidates = exports.export_candidates(CertificationSession.objects.filter(pk=pk)).filter(
        student__in=students_visible_to(request.user)
    )
    start = timezone.localtime(session.starts_at)
    return download(exports.pix_certif_csv(candidates), f"import-sessions-{start:%Y%m%d-%H%M}.csv")
