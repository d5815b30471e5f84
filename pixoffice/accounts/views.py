"""Staff pages on people (students, roster imports) and the account activation page."""

import logging
from functools import partial

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from kombu.exceptions import OperationalError as BrokerError

from pixoffice.core.downloads import download
from pixoffice.core.permissions import permission_required

from . import batches, exports, services, tasks
from .forms import ActivateAccountForm, ColumnMappingForm, RosterUploadForm, StudentFilterForm
from .models import RosterImport, StaffAssignment
from .queries import programmes_visible_to, search_students, students_visible_to
from .rules import is_admin

PAGE_SIZE = 50
logger = logging.getLogger(__name__)


@permission_required("accounts.view_student_list")
def student_list(request):
    programmes = programmes_visible_to(request.user)
    form = StudentFilterForm(request.GET or None, programmes=programmes)
    students = students_visible_to(request.user)
    if form.is_valid():
        if form.cleaned_data["programme"]:
            students = students.filter(programme=form.cleaned_data["programme"])
        students = search_students(students, form.cleaned_data["q"])
    page = Paginator(students, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/student_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "programmes": programmes,
        },
    )


@permission_required("accounts.export_roster")
def roster_export(request, fmt):
    students = students_visible_to(request.user)
    if programme_id := request.GET.get("programme"):
        if not programme_id.isdigit():
            raise Http404
        students = students.filter(programme_id=int(programme_id))
    content = exports.export_roster(students, fmt)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return download(content, f"etudiants-{stamp}.{fmt}")


def student_detail(request, pk):
    if not request.user.is_authenticated:
        return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
    student = get_object_or_404(students_visible_to(request.user), pk=pk)
    if not request.user.has_perm("accounts.view_student", student):
        raise Http404
    return render(request, "accounts/student_detail.html", {"student": student})


def _roster_imports_of(user):
    """The imports whose page, file and buttons a user reaches: all for admins, their
    own for staff (the file and its preview hold other programmes' students)."""
    imports = RosterImport.objects.select_related("uploaded_by", "academic_year")
    return imports if is_admin(user) else imports.filter(uploaded_by=user)


def _roster_history_of(user):
    """The history list: every import for admins; for staff, their own and those of
    the colleagues who follow one of their programmes (staff import their programmes'
    students)."""
    imports = RosterImport.objects.select_related("uploaded_by", "academic_year")
    if is_admin(user):
        return imports
    colleagues = StaffAssignment.objects.filter(
        programme__in=StaffAssignment.objects.filter(user=user).values("programme")
    ).values("user")
    return imports.filter(Q(uploaded_by=user) | Q(uploaded_by__in=colleagues))


@permission_required("accounts.import_roster")
@require_http_methods(["GET", "POST"])
def roster_import_new(request):
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        plan = services.plan_roster_import(
            data,
            by=request.user,
            academic_year=form.cleaned_data["academic_year"],
            max_bytes=settings.UPLOAD_MAX_BYTES,
        )
        if plan.refused and not plan.header:
            form.add_error("file", plan.errors[0].message)
        else:
            summary = plan.summary()
            roster_import = services.store_roster_file(
                data,
                name=upload.name,
                by=request.user,
                mapping=plan.mapping,
                academic_year=form.cleaned_data["academic_year"],
                summary=summary,
            )
            nothing_new = not (summary["created"] or summary["updated"])
            if nothing_new and not plan.errors and not plan.needs_mapping:
                # the same list again: « rien de nouveau », nothing to confirm
                roster_import.status = RosterImport.Status.UNCHANGED
                roster_import.save(update_fields=["status"])
            return redirect("accounts:roster_import", pk=roster_import.pk)
    history = _roster_history_of(request.user)[:10]
    return render(request, "accounts/roster_import_new.html", {"form": form, "history": history})


@permission_required("accounts.import_roster")
@require_http_methods(["GET", "POST"])
def roster_import_detail(request, pk):
    roster_import = get_object_or_404(_roster_imports_of(request.user), pk=pk)
    if roster_import.status == RosterImport.Status.QUEUED and batches.release_stale(
        RosterImport, roster_import.pk
    ):
        roster_import.refresh_from_db()
    if roster_import.status != RosterImport.Status.PREVIEWED:
        return render(
            request,
            "accounts/roster_import_result.html",
            {"roster_import": roster_import},
        )
    with roster_import.file.open("rb") as handle:
        data = handle.read()
    if request.method == "POST" and request.POST.get("zeros") in ("0", "1"):
        roster_import.restore_zeros = request.POST["zeros"] == "1"
        roster_import.save(update_fields=["restore_zeros"])
        return redirect("accounts:roster_import", pk=roster_import.pk)
    mapping = {k: int(v) for k, v in roster_import.mapping.items()}
    plan = services.plan_roster_import(
        data,
        by=request.user,
        mapping=mapping,
        academic_year=roster_import.academic_year,
        restore_zeros=roster_import.restore_zeros,
    )
    if request.method == "POST" and request.POST.get("action") == "programmes":
        if not is_admin(request.user):
            raise PermissionDenied
        chosen = set(request.POST.getlist("programme")) & set(plan.unknown_programmes)
        created = services.create_programmes(names=sorted(chosen), by=request.user)
        messages.success(
            request,
            ngettext(
                "%(n)d formation créée : %(names)s.",
                "%(n)d formations créées : %(names)s.",
                len(created),
            )
            % {"n": len(created), "names": ", ".join(p.name for p in created)},
        )
        return redirect("accounts:roster_import", pk=roster_import.pk)
    if request.method == "POST" and request.POST.get("action") == "left":
        absent = {s.pk for s in plan.absent if s.left_on is None}
        chosen = {int(v) for v in request.POST.getlist("student") if v.isdigit()} & absent
        count = services.mark_students_left(student_ids=chosen, by=request.user)
        messages.success(
            request,
            ngettext(
                "%(n)d étudiant·e marqué·e « a quitté la formation ».",
                "%(n)d étudiant·e·s marqué·e·s « a quitté la formation ».",
                count,
            )
            % {"n": count},
        )
        return redirect("accounts:roster_import", pk=roster_import.pk)
    mapping_form = ColumnMappingForm(
        request.POST or None,
        header=plan.header,
        initial_mapping=mapping,
    )
    if request.method == "POST" and mapping_form.is_valid():
        roster_import.mapping = mapping_form.mapping()
        roster_import.save(update_fields=["mapping"])
        return redirect("accounts:roster_import", pk=roster_import.pk)
    return render(
        request,
        "accounts/roster_import_preview.html",
        {
            "roster_import": roster_import,
            "plan": plan,
            "can_create_programmes": is_admin(request.user),
            "mapping_form": mapping_form,
            "show_mapping": plan.needs_mapping
            or request.GET.get("colonnes") == "1"
            or request.method == "POST",
        },
    )


@permission_required("accounts.import_roster")
@require_POST
def roster_import_confirm(request, pk):
    """Confirm a previewed batch, or retry a failed one."""
    roster_import = get_object_or_404(_roster_imports_of(request.user), pk=pk)
    if batches.confirm(
        roster_import,
        task=tasks.apply_roster_import,
        apply=services.apply_roster_import,
        threshold=settings.ROSTER_IMPORT_TASK_THRESHOLD,
    ):
        if roster_import.status == RosterImport.Status.APPLIED:
            messages.success(request, _("La liste a été importée."))
        elif roster_import.status == RosterImport.Status.REFUSED:
            messages.error(request, _("La liste a été refusée : rien n'a été modifié."))
        elif roster_import.status == RosterImport.Status.FAILED:
            messages.error(request, _("L'import a échoué : rien n'a été modifié."))
    return redirect("accounts:roster_import", pk=roster_import.pk)


@permission_required("accounts.import_roster")
@require_POST
def roster_import_cancel(request, pk):
    """« Annuler » on a preview: the import is marked cancelled, nothing is written."""
    roster_import = get_object_or_404(_roster_imports_of(request.user), pk=pk)
    if batches.cancel(RosterImport, roster_import.pk):
        messages.info(request, _("Import annulé : rien n'a été modifié."))
    return redirect("accounts:roster_import_new")


@permission_required("accounts.import_roster")
def roster_import_list(request):
    # every import, PAGE_SIZE a page (newest first; pk: a stable order within a second)
    imports = _roster_history_of(request.user).order_by("-uploaded_at", "-pk")
    page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/roster_import_list.html",
        {"imports": page.object_list, "page": page, "query": ""},
    )


@permission_required("accounts.import_roster")
def roster_import_file(request, pk):
    roster_import = get_object_or_404(_roster_imports_of(request.user), pk=pk)
    with roster_import.file.open("rb") as handle:
        return download(handle.read(), roster_import.original_name, "application/octet-stream")


@require_http_methods(["GET", "POST"])
def activate_account(request):
    """A roster student asks for a link to set their password.

    The answer and the work are the same whether or not the identifier is in the
    roster: the lookup and the sending happen after the response, in the task
    ``accounts.send_activation``, and a mail failure is logged, never shown. The link
    goes to the email of the roster, never to one typed here.
    """
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = ActivateAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"].strip().lower()
        if not ratelimit.consume(request, action="reset_password", key=identifier):
            return render(request, "429.html", status=429)
        transaction.on_commit(
            partial(
                _dispatch_activation,
                identifier,
                request.build_absolute_uri("/"),
                translation.get_language() or settings.LANGUAGE_CODE,
            )
        )
        return render(request, "accounts/activate_sent.html")
    return render(request, "accounts/activate.html", {"form": form})


def _dispatch_activation(identifier: str, site_url: str, language: str) -> None:
    try:
        tasks.send_activation.delay(identifier, site_url, language)
    except (BrokerError, OSError):
        logger.warning("File de tâches injoignable : lien d'activation envoyé sur place")
        tasks.send_activation(identifier, site_url, language)  # catches and logs its errors
