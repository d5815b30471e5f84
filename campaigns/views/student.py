"""The student's campaigns: code, steps to share, deadline, status, levels, history."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from campaigns import queries
from pixoffice.accounts.rules import is_student


@login_required
def my_campaigns(request):
    if not is_student(request.user):
        raise PermissionDenied
    items = queries.student_campaigns(request.user.student)
    return render(
        request, "campaigns/my_campaigns.html", {"items": items, "student": request.user.student}
    )
