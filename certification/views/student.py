"""« Ma certification »: eligibility and its reason, the sessions open to the student
(enrol, withdraw, change), declared unavailable slots, the convocation once placed,
results and how long the certificate is valid. Students only; another student's
candidacy or slot answers 404."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certification import enrolment, unavailability
from certification.eligibility import eligibility
from certification.enrolment_forms import UnavailabilityForm
from certification.models import Candidate, CertificationResult, CertificationSession
from pixoffice.accounts.permissions import student_required
from pixoffice.core.locking import LockError

PUBLISHED = CertificationSession.Status.PUBLISHED


student_only = student_required("certification.enrol")


def _page(request, *, unavailability_form=None, status=200):
    student = request.user.student
    now = timezone.now()
    verdict = eligibility(student, today=timezone.localdate(now))
    current = enrolment.pending_candidacy_of(student, now=now)
    candidacies = list(  # the others: past sessions, with their attendance
        Candidate.objects.filter(student=student, session__status__in=["published", "closed"])
        .exclude(pk=current.pk if current is not None else None)
        .select_related("session__room__site")
        .order_by("-session__starts_at")
    )
    slots = list(student.certification_unavailabilities.filter(ends_at__gt=now))
    mine = current.session_id if current is not None else None
    sessions = [s for s in enrolment.sessions_open_to(student, now=now) if s.pk != mine]
    current_open = current is not None and enrolment.is_open(current.session, now=now)
    for session in sessions:
        session.seats_left = max(session.seats - session.placed, 0)
        session.closes = enrolment.closes_at(session)
        session.clashes = unavailability.overlapping(
            slots, session.starts_at, session.occupied_until
        )
        session.can_move = current_open
    if current is not None:
        current.closes = enrolment.closes_at(current.session)
        current.can_withdraw = current_open
        current.clashes = unavailability.overlapping(
            slots, current.session.starts_at, current.ends_at
        )
    results = list(
        CertificationResult.objects.filter(student=student).order_by(
            "-taken_on", "-certification_number"
        )
    )
    return render(
        request,
        "certification/my_certification.html",
        {
            "eligibility": verdict,
            "current": current if current and current.session.status == PUBLISHED else None,
            "placed_in_draft": current is not None and current.session.status != PUBLISHED,
            "candidacies": candidacies,
            "sessions": sessions,
            "default_closing_hours": enrolment.DEFAULT_CLOSING_HOURS,
            "slots": slots,
            "unavailability_form": unavailability_form or UnavailabilityForm(),
            "results": results,
            "valid_until": verdict.valid_until,
            "still_valid": bool(verdict.valid_until and verdict.valid_until > now.date()),
            "convocation_url": reverse("certification:my_convocation", args=[current.pk])
            if current is not None and current.session.status == PUBLISHED
            else None,
        },
        status=status,
    )


@student_only
def my_certification(request):
    return _page(request)


def _say(request, error: ValidationError | LockError):
    text = error.message if isinstance(error, LockError) else " ".join(error.messages)
    messages.error(request, text)


@student_only
@require_POST
def enrol(request, pk):
    student = request.user.student
    moving = request.POST.get("move") == "1"
    try:
        candidate = enrolment.enrol(
            session_id=pk, student=student, moving=moving, site_url=settings.SITE_URL
        )
    except (ValidationError, LockError) as error:
        _say(request, error)
    else:
        start = timezone.localtime(candidate.session.starts_at)
        messages.success(
            request,
            (
                _("C'est fait : vous passez maintenant la certification le %(day)s à %(time)s.")
                if moving
                else _("Vous êtes inscrit·e à la session du %(day)s à %(time)s.")
            )
            % {"day": f"{start:%d/%m/%Y}", "time": f"{start:%H:%M}"},
        )
    return redirect("certification:mine")


@student_only
@require_POST
def withdraw(request, pk):
    student = request.user.student
    candidate = get_object_or_404(Candidate.objects.filter(student=student), pk=pk)
    try:
        enrolment.withdraw(candidate_id=candidate.pk, student=student, site_url=settings.SITE_URL)
    except (ValidationError, LockError) as error:
        _say(request, error)
    else:
        messages.success(request, _("Vous êtes désinscrit·e de cette session."))
    return redirect("certification:mine")


@student_only
@require_POST
def unavailability_add(request):
    form = UnavailabilityForm(request.POST)
    if form.is_valid():
        try:
            unavailability.declare_unavailability(
                student=request.user.student,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Créneau enregistré : le placement par le bureau l'évitera.")
            )
            return redirect("certification:mine")
    return _page(request, unavailability_form=form)


@student_only
@require_POST
def unavailability_remove(request, pk):
    student = request.user.student
    slot = get_object_or_404(student.certification_unavailabilities.all(), pk=pk)
    unavailability.remove_unavailability(student=student, unavailability_id=slot.pk)
    messages.success(request, _("Créneau supprimé."))
    return redirect("certification:mine")
