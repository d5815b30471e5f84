"""The student's calendar page (month and list), their secret feed and its renewal."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pixoffice.accounts.rules import is_student

from . import agenda, feeds
from .models import CalendarFeed, new_token


def student_of(request):
    if not is_student(request.user):
        raise PermissionDenied
    return request.user.student


def month_of(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = map(int, request.GET.get("mois", "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    if not 2000 <= year <= 2100:
        return today.year, today.month
    return year, month


def qr_svg(url: str) -> str:
    """The subscription address as an inline SVG QR code (segno, pure Python): no
    image request, nothing the Content-Security-Policy would block."""
    import segno  # noqa: PLC0415 (heavy: only the calendar page draws a QR code)

    title = _("Code QR de l'adresse d'abonnement")
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, title=title))  # noqa: S308


@login_required
def calendar(request):
    student = student_of(request)
    year, month = month_of(request)
    items = agenda.month_items(student, year=year, month=month)
    feed, _created = CalendarFeed.objects.get_or_create(student=student)
    feed_url = request.build_absolute_uri(reverse("portal:calendar_feed", args=[feed.token]))
    webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    previous = dt.date(year, month, 1) - dt.timedelta(days=1)
    following = dt.date(year, month, 28) + dt.timedelta(days=7)
    return render(
        request,
        "portal/calendar.html",
        {
            "month": dt.date(year, month, 1),
            "weeks": agenda.month_grid(items, year=year, month=month),
            "items": items,
            "previous": f"{previous:%Y-%m}",
            "next": f"{following:%Y-%m}",
            "feed_url": feed_url,
            "webcal_url": webcal_url,
            "qr_svg": qr_svg(webcal_url),
        },
    )


def calendar_feed(request, token):
    """No login: the token is the secret. A revoked (renewed) token answers 404."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("student"), token=token)
    if feed.student.user_id is None:
        raise Http404
    body = feeds.ical_feed(feed.student, name=_("Pix — mon calendrier"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pixoffice.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_POST
def calendar_feed_renew(request):
    student = student_of(request)
    CalendarFeed.objects.update_or_create(student=student, defaults={"token": new_token()})
    messages.success(
        request,
        _("Nouvelle adresse créée : l'ancienne ne fonctionne plus. Abonnez-vous de nouveau."),
    )
    return redirect("portal:calendar")
