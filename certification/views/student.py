"""The student's page: the sessions they are placed in (with their own end time) and
their certification results."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from certification.eligibility import eligibility
from certification.models import Candidate, CertificationResult
from pixoffice.accounts.rules import is_student


@login_required
def my_certification(request):
    if not is_student(request.user):  # admins too: a superuser has every permission
        raise PermissionDenied
    student = request.user.student
    candidacies = (
        Candidate.objects.filter(student=student, session__status__in=["published", "closed"])
        .select_related("session__room__site")
        .order_by("-session__starts_at")
    )
    results = CertificationResult.objects.filter(student=student).order_by(
        "-taken_on", "-certification_number"
    )
    return render(
        request,
        "certification/my_certification.html",
        {"candidacies": candidacies, "results": results, "eligibility": eligibility(student)},
    )
