"""Refuse an oversized request from its ``Content-Length``, before its body is read.

Django reads a whole multipart body (to a temporary file) before any view or form can
look at the upload's size: a 500 MB POST kept a worker busy to the end. This middleware
answers 413 at once; it comes before every middleware that reads the body (CSRF,
sessions do not, ``request.POST`` does). The reverse proxy should refuse such a body
even earlier (``client_max_body_size``, see docs/configuration.md).
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from pixoffice.tabular import format_size


def request_max_bytes() -> int:
    """``REQUEST_MAX_BYTES``; by default the largest upload plus room for the form."""
    configured = getattr(settings, "REQUEST_MAX_BYTES", None)
    if configured:
        return configured
    return max(settings.UPLOAD_MAX_BYTES, settings.BADGE_UPLOAD_MAX_BYTES) + 1024 * 1024


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django itself reads no body then
        limit = request_max_bytes()
        if length > limit:
            page = render_to_string(
                "413.html", {"size": format_size(length), "limit": format_size(limit)}
            )
            response = HttpResponse(page, status=413)
            response["Connection"] = "close"  # the unread body must not be taken as a request
            return response
        return self.get_response(request)
