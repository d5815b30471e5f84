"""View decorator for django-rules permissions.

Anonymous visitors are sent to the login page; signed-in people without the
permission get 403 (role pages). Object pages answer 404 instead, by looking the
object up in a queryset of what the user may see (see ``queries.py``).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def permission_required(perm: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
