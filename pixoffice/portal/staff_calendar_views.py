"""The staff calendar page: a month and its accessible list, for the programmes the
user follows or one of them (``?formation=``), month by month (``?mois=2026-10``)."""

import datetime as dt

from django.shortcuts import render

from pixoffice.accounts.queries import programmes_visible_to
from pixoffice.core.permissions import permission_required

from . import agenda, staff_calendar
from .calendar_views import month_of
from .forms import StaffCalendarFilterForm


@permission_required("accounts.view_staff_home")
def staff_calendar_page(request):
    year, month = month_of(request)
    followed = list(programmes_visible_to(request.user).order_by("name"))
    form = StaffCalendarFilterForm(
        {"formation": request.GET.get("formation", "")}, programmes=followed
    )
    chosen = None
    if form.is_valid() and form.cleaned_data["formation"] is not None:
        chosen = next(p for p in followed if p.pk == form.cleaned_data["formation"])
    items = staff_calendar.staff_month_items(
        request.user, programmes=[chosen] if chosen else followed, year=year, month=month
    )
    previous = dt.date(year, month, 1) - dt.timedelta(days=1)
    following = dt.date(year, month, 28) + dt.timedelta(days=7)
    keep = f"&formation={chosen.pk}" if chosen else ""
    return render(
        request,
        "portal/staff_calendar.html",
        {
            "form": form,
            "chosen": chosen,
            "followed": followed,
            "month": dt.date(year, month, 1),
            "month_value": f"{year:04d}-{month:02d}",
            "weeks": agenda.month_grid(items, year=year, month=month),
            "items": items,
            "previous": f"{previous:%Y-%m}{keep}",
            "next": f"{following:%Y-%m}{keep}",
        },
    )
