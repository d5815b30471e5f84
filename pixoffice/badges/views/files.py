"""A submission, for its student and the staff who review it; its file, never public."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from pixoffice.badges import queries
from pixoffice.badges.models import BadgeSubmission
from pixoffice.badges.rules import can_review_submission
from pixoffice.core.permissions import permission_required


@permission_required("badges.view_submissions")
def submission_detail(request, pk):
    submission = get_object_or_404(queries.submissions_visible_to(request.user), pk=pk)
    reviewer = can_review_submission(request.user, submission)
    return render(
        request,
        "badges/submission_detail.html",
        {
            "submission": submission,
            "reviewer": reviewer,
            "history": queries.history(submission.student, submission.requirement_id),
            "assertion": _pretty(submission.assertion) if reviewer else "",
        },
    )


def _pretty(assertion) -> str:
    import json

    return json.dumps(assertion, ensure_ascii=False, indent=2)


@permission_required("badges.view_submissions")
def submission_file(request, pk):
    """The uploaded file: a PNG is shown inline (the review page displays it), SVG and
    JSON are downloaded (an SVG may hold scripts); never run, never cached."""
    submission = get_object_or_404(queries.submissions_visible_to(request.user), pk=pk)
    with submission.file.open("rb") as handle:
        data = handle.read()
    inline = submission.format == BadgeSubmission.Format.PNG
    response = HttpResponse(
        data, content_type="image/png" if inline else "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition_header(
        not inline, submission.original_name or f"badge.{submission.format}"
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
