"""The unmatched queue of a campaign: rows of Pix Orga that match nobody in the
roster. Staff link each to a student (proposed by name or number, or found by a
search within their scope) or set it aside (« pas un étudiant suivi ici »)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaigns import queries, services
from campaigns.forms import IgnoreParticipationForm, LinkParticipationForm
from campaigns.models import Participation
from campaigns.views.campaigns import managed_campaign
from pixoffice.accounts.queries import search_students
from pixoffice.core.locking import LockError
from pixoffice.core.permissions import permission_required

SEARCH_LIMIT = 10
QUEUE_PAGE_SIZE = 50


def _queue_url(campaign, *, ignored: bool = False, page: str = "") -> str:
    """The queue (or its ignored rows) at ``page``: an action brings staff back where
    they were."""
    url = reverse("campaigns:unmatched", args=[campaign.pk])
    query = QueryDict(mutable=True)
    if ignored:
        query["ignorees"] = "1"
    if page.isdigit() and page != "1":
        query["page"] = page
    return f"{url}?{query.urlencode()}" if query else url


def _unmatched_row(campaign, pk) -> Participation:
    if not str(pk).isdigit():
        raise Http404
    return get_object_or_404(Participation, pk=pk, campaign=campaign, student__isnull=True)


def _act(request, action, done: str) -> None:
    """Run a queue action; its refusal (a French ``ValueError``, a lock not obtained)
    or ``done`` becomes the page's message."""
    try:
        action()
    except ValueError as error:
        messages.error(request, str(error))
    except LockError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)


@permission_required("campaigns.manage_campaigns")
@require_http_methods(["GET", "POST"])
def unmatched_queue(request, pk):
    campaign = managed_campaign(request, pk)
    students = queries.roster_of(campaign, request.user)
    show_ignored = request.GET.get("ignorees") == "1"
    rows = (
        queries.unmatched_rows(campaign, ignored=show_ignored)
        .annotate(share_count=Count("shares"))
        .order_by("last_name", "first_name", "pk")
    )
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    participations = list(page.object_list)  # the page's rows only
    if request.method == "POST":
        participation = _unmatched_row(campaign, request.POST.get("participation", ""))
        form = LinkParticipationForm(request.POST, students=students)
        if form.is_valid():
            student = form.cleaned_data["student"]
            _act(
                request,
                lambda: services.link_participation(participation, student, by=request.user),
                _("%(who)s est rattaché·e à %(student)s ; ses envois comptent désormais.")
                % {"who": participation.identifier, "student": student},
            )
            return redirect(
                _queue_url(campaign, ignored=show_ignored, page=request.POST.get("page", ""))
            )
        messages.error(request, " ".join(form.errors["student_number"]))
    # a search for one row: ?ligne=<pk>&q=<name or number>, within the roster in scope
    searched_row, query = request.GET.get("ligne", ""), request.GET.get("q", "").strip()
    found = (
        list(search_students(students, query)[: SEARCH_LIMIT + 1])
        if query and searched_row.isdigit()
        else []
    )
    proposals = queries.name_proposals(participations, students)
    by_number = queries.zero_proposals(participations, students)
    items = [
        {
            "participation": p,
            "proposals": [
                *proposals.get(p.pk, []),
                *(s for s in by_number.get(p.pk, []) if s not in proposals.get(p.pk, [])),
            ],
            "form": LinkParticipationForm(students=students, auto_id=f"id_p{p.pk}_%s"),
            "ignore_form": IgnoreParticipationForm(auto_id=f"id_i{p.pk}_%s"),
            "searched": str(p.pk) == searched_row and bool(query),
            "query": query if str(p.pk) == searched_row else "",
            "found": found[:SEARCH_LIMIT] if str(p.pk) == searched_row else [],
            "more": len(found) > SEARCH_LIMIT if str(p.pk) == searched_row else False,
        }
        for p in participations
    ]
    query = request.GET.copy()  # the page links keep the view and the search
    query.pop("page", None)
    return render(
        request,
        "campaigns/unmatched.html",
        {
            "campaign": campaign,
            "items": items,
            "page": page,
            "query": query.urlencode(),
            "show_ignored": show_ignored,
            "other_count": queries.unmatched_rows(campaign, ignored=not show_ignored).count(),
        },
    )


@permission_required("campaigns.manage_campaigns")
@require_POST
def unmatched_ignore(request, pk, participation_pk):
    campaign = managed_campaign(request, pk)
    participation = _unmatched_row(campaign, participation_pk)
    form = IgnoreParticipationForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("%(who)s : %(errors)s")
            % {
                "who": participation.identifier,
                "errors": " ".join(form.errors.get("reason", [])),
            },
        )
        return redirect(_queue_url(campaign, page=request.POST.get("page", "")))
    _act(
        request,
        lambda: services.ignore_participation(
            participation, reason=form.cleaned_data["reason"], by=request.user
        ),
        _("%(who)s est ignoré·e (pas un·e étudiant·e suivi·e ici).")
        % {"who": participation.identifier},
    )
    return redirect(_queue_url(campaign, page=request.POST.get("page", "")))


@permission_required("campaigns.manage_campaigns")
@require_POST
def unmatched_restore(request, pk, participation_pk):
    campaign = managed_campaign(request, pk)
    participation = _unmatched_row(campaign, participation_pk)
    _act(
        request,
        lambda: services.restore_participation(participation, by=request.user),
        _("%(who)s est de nouveau dans la file des lignes non rattachées.")
        % {"who": participation.identifier},
    )
    return redirect(_queue_url(campaign, ignored=True, page=request.POST.get("page", "")))
