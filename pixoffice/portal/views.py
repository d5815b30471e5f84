"""Home pages: one per role. They read from every app below (top floor)."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone

from campaigns import queries as campaign_queries
from grading import queries as grading_queries
from pixoffice.accounts.models import Role
from pixoffice.accounts.queries import programmes_visible_to, with_student_counts
from pixoffice.accounts.rules import is_staff_or_admin, is_student
from pixoffice.core.permissions import permission_required

from . import student_home as home_data
from .staff_home import staff_actions


@login_required
def home(request):
    if is_staff_or_admin(request.user):
        return redirect("portal:staff_home")
    if is_student(request.user):
        return redirect("portal:student_home")
    return render(request, "portal/no_role.html")


@login_required
def student_home(request):
    # the role, not has_perm(): superusers hold every permission, but an admin has no
    # student record to show
    if request.user.role != Role.STUDENT:
        raise PermissionDenied
    # cached: no query but the session's (none in production, where sessions are read
    # from Redis), the user coming from the cache too (accounts/session_user.py); else 6.
    # The whole page rendered for this browser in this minute comes in one round trip.
    context = home_data.student_home(request.user, home_data.page_key_of(request))
    if context["html"] is not None:
        get_token(request)  # the CSRF cookie, as rendering the page's forms would set it
        return HttpResponse(context["html"])
    if context["student"] is None:
        raise PermissionDenied
    home_data.with_student(request.user, context)
    response = render(request, "portal/student_home.html", context)
    home_data.remember_page(context, response.content)
    return response


@permission_required("accounts.view_staff_home")
def staff_home(request):
    programmes = with_student_counts(programmes_visible_to(request.user))
    campaigns = campaign_queries.with_participation_counts(
        campaign_queries.campaigns_visible_to(request.user).filter(
            deadline__gte=timezone.now() - timedelta(days=60)
        )
    ).order_by("deadline")[:10]
    return render(
        request,
        "portal/staff_home.html",
        {
            "programmes": programmes,
            "campaigns": campaigns,
            "actions": staff_actions(request.user),
            "schemes": grading_queries.schemes_visible_to(request.user)[:10],
        },
    )
