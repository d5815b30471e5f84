"""The statistics page (staff: their programmes; admins: all) and the retention page
(admins: what is kept, for how long, what the next purge would remove)."""

from django.conf import settings
from django.shortcuts import render

from pixoffice.core.permissions import permission_required

from . import retention, year_statistics


@permission_required("privacy.view_statistics")
def statistics(request):
    return render(
        request,
        "privacy/statistics.html",
        {"blocks": year_statistics.statistics_for(request.user)},
    )


@permission_required("privacy.view_retention")
def retention_page(request):
    plan = retention.plan_purge()  # the dry run of the next scheduled purge
    return render(
        request,
        "privacy/retention.html",
        {
            "plan": plan,
            "rows": plan.rows(),
            "years": settings.PERSONAL_DATA_RETENTION_YEARS,
            "enabled": settings.PERSONAL_DATA_PURGE_ENABLED,
        },
    )
