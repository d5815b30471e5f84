"""Home pages: one per role. They read from every app below (top floor)."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from campaigns import queries as campaign_queries
from pixoffice.accounts.permissions import permission_required
from pixoffice.accounts.queries import programmes_visible_to, with_student_counts
from pixoffice.accounts.rules import is_staff_or_admin, is_student


@login_required
def home(request):
    if is_staff_or_admin(request.user):
        return redirect("portal:staff_home")
    if is_student(request.user):
        return redirect("portal:student_home")
    return render(request, "portal/no_role.html")


@login_required
def student_home(request):
    # a predicate, not has_perm(): superusers hold every permission, but an admin
    # has no student record to show
    if not is_student(request.user):
        raise PermissionDenied
    student = request.user.student
    return render(
        request,
        "portal/student_home.html",
        {
            "student": student,
            "campaigns": campaign_queries.student_campaigns(student),
        },
    )


@permission_required("accounts.view_staff_home")
def staff_home(request):
    programmes = with_student_counts(programmes_visible_to(request.user))
    campaigns = campaign_queries.with_participation_counts(
        campaign_queries.campaigns_visible_to(request.user).filter(
            deadline__gte=timezone.now() - timedelta(days=60)
        )
    ).order_by("deadline")[:10]
    return render(
        request, "portal/staff_home.html", {"programmes": programmes, "campaigns": campaigns}
    )
