"""The guard of the student pages: a permission *and* the student role.

``has_perm()`` alone is not enough: a superuser holds every permission but is no
student, so a student page would have nobody's data to show them (403 instead).
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from pixoffice.accounts.rules import is_student
from pixoffice.core.permissions import permission_required


def student_required(perm: str):
    """Anonymous → login; not holding ``perm`` or not a student → 403."""

    def decorator(view):
        @permission_required(perm)
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_student(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
