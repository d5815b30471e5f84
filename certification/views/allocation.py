"""Staff pages of the allocation: choose, review the proposal, apply it."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certification import allocation_runs
from certification.allocation_forms import AllocationForm
from certification.models import AllocationRun
from pixoffice.accounts.queries import programmes_visible_to, students_visible_to
from pixoffice.core.locking import LockError
from pixoffice.core.permissions import permission_required


def runs_visible_to(user):
    """The runs all of whose programmes are within ``user``'s scope."""
    outside = AllocationRun.programmes.through.objects.exclude(
        programme__in=programmes_visible_to(user)
    ).values("allocationrun_id")
    return AllocationRun.objects.exclude(pk__in=outside)


@permission_required("certification.manage_sessions")
def allocation_new(request):
    form = AllocationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            run = allocation_runs.propose_allocation(
                programmes=form.cleaned_data["programmes"],
                session_ids=[s.pk for s in form.cleaned_data["sessions"]],
                academic_year=form.academic_year,
                solver=form.cleaned_data["solver"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("certification:allocation_detail", pk=run.pk)
    runs = (
        runs_visible_to(request.user)
        .select_related("created_by")
        .prefetch_related("programmes")
        .order_by("-created_at", "-pk")[:20]
    )
    return render(request, "certification/allocation_new.html", {"form": form, "runs": runs})


@permission_required("certification.manage_sessions")
def allocation_detail(request, pk):
    run = get_object_or_404(
        runs_visible_to(request.user).select_related("created_by", "applied_by"), pk=pk
    )
    assignments = list(
        run.assignments.filter(student__in=students_visible_to(request.user))
        .select_related("student__programme", "session__room__site")
        .order_by(
            "session__starts_at", "session__room__name", "student__last_name", "student__first_name"
        )
    )
    placed = [a for a in assignments if a.session_id]
    for a in placed:  # each candidate's own end, extra time included
        a.ends_at = a.session.end_for(a.student.extra_time_percent)
    by_session = [
        (session, list(rows)) for session, rows in groupby(placed, key=lambda a: a.session)
    ]
    unplaced = sorted(
        (a for a in assignments if not a.session_id),
        key=lambda a: (a.reason, a.student.last_name, a.student.first_name),
    )
    reasons = (
        run.assignments.filter(session__isnull=True)
        .values("reason")
        .annotate(n=Count("pk"))
        .order_by("reason")
    )
    labels = dict(run.assignments.model.Reason.choices)
    return render(
        request,
        "certification/allocation_detail.html",
        {
            "run": run,
            "by_session": by_session,
            "unplaced": unplaced,
            "reasons": [(labels[r["reason"]], r["n"]) for r in reasons],
            "programmes": list(run.programmes.all()),
        },
    )


@permission_required("certification.manage_sessions")
@require_POST
def allocation_apply(request, pk):
    if not runs_visible_to(request.user).filter(pk=pk).exists():
        raise Http404
    try:
        run = allocation_runs.apply_allocation(
            run_id=pk, by=request.user, site_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except LockError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "Allocation appliquée (version %(version)d) : %(n)d étudiant·e placé·e.",
                "Allocation appliquée (version %(version)d) : %(n)d étudiant·e·s placé·e·s.",
                run.summary.get("placed", 0),
            )
            % {"version": run.version, "n": run.summary.get("placed", 0)},
        )
    return redirect("certification:allocation_detail", pk=pk)
