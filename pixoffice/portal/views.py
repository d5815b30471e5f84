"""Home pages: one per role. They read from every app below (top floor)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

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
    return render(request, "portal/student_home.html", {"student": request.user.student})


@permission_required("accounts.view_staff_home")
def staff_home(request):
    programmes = with_student_counts(programmes_visible_to(request.user))
    return render(request, "portal/staff_home.html", {"programmes": programmes})
