"""A student's copy of their personal data: their own page and downloads (no pk in the
URL: a student only ever gets their own), and the staff page that produces it for a
student of their programmes, each production logged (``PersonalDataExport``)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from certification.documents import html_to_pdf, issuer
from pixoffice.accounts.models import Role, Student
from pixoffice.accounts.queries import students_visible_to
from pixoffice.core.downloads import download
from pixoffice.core.permissions import permission_required

from .models import PersonalDataExport
from .personal_data import as_json, collect_personal_data

Format = PersonalDataExport.Format


def _own_student(request) -> Student:
    # the role, not has_perm(): an admin holds every permission but has no record
    if request.user.role != Role.STUDENT:
        raise PermissionDenied
    student = Student.objects.filter(user=request.user).first()
    if student is None:
        raise PermissionDenied
    return student


def _filename(student: Student, extension: str) -> str:
    return (
        f"donnees-personnelles-{student.student_number}-{timezone.localdate():%Y-%m-%d}.{extension}"
    )


def _produce(request, student: Student, fmt: str) -> HttpResponse:
    """The copy of ``student`` in ``fmt``: a JSON or PDF attachment, or the page."""
    data = collect_personal_data(student)
    if fmt == Format.JSON:
        return download(as_json(data), _filename(student, "json"), "application/json")
    if fmt == Format.PDF:
        html = render_to_string(
            "privacy/document_pdf.html", {"data": data, "issuer": issuer()}, request=request
        )
        return download(html_to_pdf(html), _filename(student, "pdf"))
    return render(request, "privacy/document.html", {"data": data, "student": student})


@login_required
def my_data(request):
    student = _own_student(request)
    exports = PersonalDataExport.objects.filter(student=student).select_related("by")
    return render(request, "privacy/mine.html", {"student": student, "exports": exports[:20]})


@login_required
def my_json(request):
    return _produce(request, _own_student(request), Format.JSON)


@login_required
def my_document(request):
    return _produce(request, _own_student(request), Format.HTML)


@login_required
def my_pdf(request):
    return _produce(request, _own_student(request), Format.PDF)


@permission_required("accounts.view_student_list")
@require_http_methods(["GET", "POST"])
def student_data(request, pk):
    """GET: the buttons and the log; POST ``format``: the copy, logged."""
    # another programme's student: 404, as if there were none
    student = get_object_or_404(students_visible_to(request.user), pk=pk)
    fmt = request.POST.get("format")
    if request.method == "POST" and fmt in Format.values:
        PersonalDataExport.objects.create(
            student=student, by=request.user, by_email=request.user.email, format=fmt
        )
        return _produce(request, student, fmt)
    exports = PersonalDataExport.objects.filter(student=student).select_related("by")
    return render(
        request,
        "privacy/student_data.html",
        {"student": student, "exports": exports, "formats": Format.choices},
        status=400 if request.method == "POST" else 200,
    )


LOG_PAGE_SIZE = 50


@permission_required("accounts.view_student_list")
def export_log(request):
    """Every copy produced of the personal data of the students one may see (admins:
    all), newest first: the office's register of these productions."""
    exports = (
        PersonalDataExport.objects.filter(student__in=students_visible_to(request.user))
        .select_related("student__programme", "by")
        .order_by("-at", "-pk")
    )
    page = Paginator(exports, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/export_log.html", {"page": page, "query": ""})
