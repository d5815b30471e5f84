"""The current user's role, for the navigation of every page."""

from . import rules as r


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_student_user": False, "is_staff_user": False, "is_admin_user": False}
    return {
        "is_student_user": r.is_student(user),
        "is_staff_user": r.is_staff_or_admin(user),
        "is_admin_user": r.is_admin(user),
    }
