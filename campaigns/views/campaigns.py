"""Staff pages: campaigns, their follow-up, its export (the unmatched queue: ``unmatched``)."""

from dataclasses import replace

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from campaigns import charts, exports, followup, queries, services
from campaigns.forms import CampaignForm, FollowUpFilterForm
from campaigns.models import Campaign
from campaigns.rules import can_manage_campaign
from pixoffice.accounts.queries import enrolled, programmes_visible_to, search_students
from pixoffice.core.downloads import table_download
from pixoffice.core.locking import LockError
from pixoffice.core.permissions import permission_required

FOLLOW_UP_PAGE_SIZE = 50


def managed_campaign(request, pk) -> Campaign:
    """The campaign if the user manages it, else 404 (a stranger learns nothing)."""
    campaign = get_object_or_404(Campaign.objects.select_related("academic_year"), pk=pk)
    if not can_manage_campaign(request.user, campaign):
        raise Http404
    return campaign


@permission_required("campaigns.manage_campaigns")
def campaign_list(request):
    campaigns = queries.with_participation_counts(
        queries.campaigns_visible_to(request.user)
    ).order_by("-academic_year__start", "deadline")
    return render(
        request, "campaigns/campaign_list.html", {"campaigns": campaigns, "now": timezone.now()}
    )


@permission_required("campaigns.manage_campaigns")
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.created_by = request.user
        campaign.save()
        form.save_m2m()
        messages.success(
            request, _("La campagne « %(name)s » est enregistrée.") % {"name": campaign.name}
        )
        return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form})


@permission_required("campaigns.manage_campaigns")
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    campaign = managed_campaign(request, pk)
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the change and its counting shares, or neither
                form.save()
                services.recompute_counting(campaign)  # the deadline or rule may have changed
        except LockError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("La campagne est mise à jour."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


def _follow_up_filters(request, campaign):
    """The filter form and the roster shown: the programme and search filters (what the
    counters cover), and the form's status, stage and badge filters (a ``Listing``)."""
    programmes = programmes_visible_to(request.user).filter(campaigns=campaign)
    form = FollowUpFilterForm(request.GET or None, programmes=programmes, campaign=campaign)
    students = enrolled(queries.roster_of(campaign, request.user))  # not who left the course
    listing = followup.Listing(page=request.GET.get("page"), per_page=FOLLOW_UP_PAGE_SIZE)
    if form.is_valid():
        if form.cleaned_data["programme"]:
            students = students.filter(programme=form.cleaned_data["programme"])
        students = search_students(students, form.cleaned_data["q"])
        listing = replace(
            listing,
            status=form.cleaned_data["status"],
            stage=form.cleaned_data.get("stage"),
            badge=form.badge_filter(),
        )
    return form, students, listing


def _codes(campaign) -> list[str]:
    return list(campaign.competences.order_by("position").values_list("code", flat=True))


@permission_required("campaigns.manage_campaigns")
def campaign_detail(request, pk):
    campaign = managed_campaign(request, pk)
    codes = _codes(campaign)
    form, students, listing = _follow_up_filters(request, campaign)
    # the counters and charts cover the whole filtered roster, the list is filtered,
    # counted and cut in the same SQL statement: only the page's students are read
    counters = followup.counters(
        campaign, students, codes, settings.PIX_MAX_REACHABLE_LEVEL, listing=listing
    )
    paginator = Paginator([], FOLLOW_UP_PAGE_SIZE)
    paginator.count = counters.listed
    order = {pk: i for i, pk in enumerate(counters.page_ids)}
    shown = sorted(students.filter(pk__in=counters.page_ids), key=lambda s: order[s.pk])
    page = Page(shown, counters.page_number, paginator)
    rows = queries.follow_up(campaign, shown, codes)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "assessment": counters.assessment,
            "form": form,
            "rows": rows,
            "page": page,
            "counts": counters.counts,
            "status_labels": queries.STATUS_LABELS,
            "certifiable": counters.certifiable,
            "below": counters.below,
            "total": counters.total,
            "query": query.urlencode(),
            "codes": codes,
            # the curve covers the counters' roster: its last point is « envoyé » +
            # « envoyé en retard », on a scale of the counters' total
            "timeline": charts.timeline(
                campaign, followup.shares_over_time(campaign, students), counters.total
            ),
            "distribution": _distribution(counters.distribution),
            "unmatched": queries.unmatched_rows(campaign).count(),
            "imports": campaign.imports.select_related("uploaded_by")[:5],
        },
    )


def _distribution(distribution):
    rows = []
    for code, counts in sorted(distribution.items()):
        total = sum(counts) or 1
        rows.append((code, [(level, n, round(100 * n / total)) for level, n in enumerate(counts)]))
    return rows


@permission_required("campaigns.manage_campaigns")
def campaign_export(request, pk, fmt):
    campaign = managed_campaign(request, pk)
    codes = _codes(campaign)
    _form, students, listing = _follow_up_filters(request, campaign)
    listed = followup.listed_rows(campaign, students, codes, listing)
    # every row of the filtered list, not one page
    header, data = exports.follow_up_table(campaign, queries.follow_up(campaign, listed, codes))
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return table_download(header, data, fmt, f"suivi-{campaign.code}-{stamp}", title="Suivi")
