"""Staff pages: the review queue, accept/reject, the required badges and their follow-up."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pixoffice.accounts.queries import programmes_visible_to, search_students, students_visible_to
from pixoffice.accounts.rules import is_admin
from pixoffice.badges import exports, queries, services
from pixoffice.badges.forms import FollowUpFilterForm, QueueFilterForm, RequirementForm, ReviewForm
from pixoffice.badges.models import BadgeRequirement, BadgeSubmission
from pixoffice.badges.rules import can_manage_requirement
from pixoffice.core.downloads import table_download
from pixoffice.core.permissions import permission_required

QUEUE_PAGE_SIZE = 50
FOLLOW_UP_PAGE_SIZE = 50


@permission_required("badges.review_badges")
def queue(request):
    data = request.GET.copy()
    data.setdefault("status", BadgeSubmission.Status.REVIEW)
    form = QueueFilterForm(
        data,
        programmes=programmes_visible_to(request.user),
        requirements=queries.requirements_visible_to(request.user),
    )
    filters = form.cleaned_data if form.is_valid() else {"status": BadgeSubmission.Status.REVIEW}
    submissions = queries.review_queue(
        request.user,
        programme=filters.get("programme"),
        status=filters.get("status", ""),
        requirement=filters.get("requirement"),
        q=filters.get("q", ""),
    )
    page = Paginator(submissions, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    return render(
        request,
        "badges/queue.html",
        {
            "form": form,
            "page": page,
            # only the default filter (« À vérifier »): the queue is simply empty
            "default_filter": not (set(request.GET) - {"page"}),
            "query": query.urlencode(),
            "next": request.get_full_path(),
        },
    )


@permission_required("badges.review_badges")
@require_POST
def review(request, pk):
    submission = get_object_or_404(queries.submissions_visible_to(request.user), pk=pk)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("badges:submission", kwargs={"pk": submission.pk})
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(target)
    who = submission.student.full_name
    try:
        if form.cleaned_data["decision"] == "accept":
            changed = services.accept_submission(submission, by=request.user)
            done = _("Le badge de %(who)s est accepté.")
            already = _("Le badge de %(who)s était déjà accepté.")
        else:
            changed = services.reject_submission(
                submission, by=request.user, reason=form.cleaned_data["reason"]
            )
            done = _("Le badge de %(who)s est refusé ; l'étudiant·e voit la raison.")
            already = _("Le badge de %(who)s était déjà refusé.")
    except services.BadgeRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, (done if changed else already) % {"who": who})
    return redirect(target)


def managed_requirement(request, pk) -> BadgeRequirement:
    """The requirement if the user manages it, else 404 (a stranger learns nothing)."""
    requirement = get_object_or_404(
        BadgeRequirement.objects.select_related("academic_year", "semester"), pk=pk
    )
    if not can_manage_requirement(request.user, requirement):
        raise Http404
    return requirement


@permission_required("badges.review_badges")
def requirement_list(request):
    in_scope = Q(submissions__is_current=True)
    if not is_admin(request.user):
        in_scope &= Q(submissions__student__programme__assignments__user=request.user)
    requirements = queries.requirements_visible_to(request.user).annotate(
        holders=Count(
            "submissions",
            filter=in_scope & Q(submissions__status__in=queries.HOLDING),
            distinct=True,
        ),
        to_review=Count(
            "submissions",
            filter=in_scope & Q(submissions__status=BadgeSubmission.Status.REVIEW),
            distinct=True,
        ),
    )
    return render(
        request,
        "badges/requirement_list.html",
        {"requirements": requirements.order_by("-academic_year__start", "deadline")},
    )


@permission_required("badges.review_badges")
@require_http_methods(["GET", "POST"])
def requirement_create(request):
    form = RequirementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        requirement = form.save()
        messages.success(
            request, _("Le badge exigé « %(name)s » est enregistré.") % {"name": requirement.name}
        )
        return redirect("badges:follow_up", pk=requirement.pk)
    return render(request, "badges/requirement_form.html", {"form": form})


@permission_required("badges.review_badges")
@require_http_methods(["GET", "POST"])
def requirement_edit(request, pk):
    requirement = managed_requirement(request, pk)
    # programmes this user does not follow stay as they are (SharedProgrammesMixin)
    form = RequirementForm(request.POST or None, instance=requirement, user=request.user)
    if request.method == "POST" and form.is_valid():
        requirement = form.save()
        messages.success(request, _("Le badge exigé est mis à jour."))
        return redirect("badges:follow_up", pk=requirement.pk)
    return render(
        request, "badges/requirement_form.html", {"form": form, "requirement": requirement}
    )


def _missing(request, requirement):
    students = students_visible_to(request.user)
    programmes = programmes_visible_to(request.user).filter(badge_requirements=requirement)
    form = FollowUpFilterForm(request.GET or None, programmes=programmes)
    missing = queries.students_missing_badge(requirement, students)
    if form.is_valid():
        if form.cleaned_data["programme"]:
            missing = missing.filter(programme=form.cleaned_data["programme"])
        missing = search_students(missing, form.cleaned_data["q"])
        status = form.cleaned_data["status"]
        if status == "none":
            missing = missing.filter(badge_status__isnull=True)
        elif status:
            missing = missing.filter(badge_status=status)
    return form, students, missing.order_by("last_name", "first_name", "student_number")


@permission_required("badges.review_badges")
def follow_up(request, pk):
    requirement = managed_requirement(request, pk)
    form, students, missing = _missing(request, requirement)
    # the page's rows only (LIMIT/OFFSET); the counters and the export cover every row
    page = Paginator(missing.select_related("programme"), FOLLOW_UP_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "badges/follow_up.html",
        {
            "requirement": requirement,
            "form": form,
            "page": page,
            "counts": queries.status_counts(requirement, students),
            "query": query.urlencode(),
            "status_labels": dict(BadgeSubmission.Status.choices),
        },
    )


@permission_required("badges.review_badges")
def follow_up_export(request, pk, fmt):
    requirement = managed_requirement(request, pk)
    _form, _students, missing = _missing(request, requirement)
    header, rows = exports.missing_badge_table(missing)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return table_download(
        header, rows, fmt, f"badge-manquant-{requirement.pk}-{stamp}", title="Badge manquant"
    )
