"""Staff pages: upload a Pix Orga export, preview it, confirm, follow the progress."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaigns import queries, services, tasks
from campaigns.forms import ResultUploadForm
from campaigns.models import Campaign, ResultImport
from pixoffice.accounts import batches
from pixoffice.accounts.rules import is_admin
from pixoffice.core.locking import LockError
from pixoffice.core.permissions import permission_required


def imports_of(user):
    """The imports whose page, preview and buttons a user reaches: all for admins, their
    own for staff (a preview matches the file within its uploader's scope)."""
    imports = ResultImport.objects.select_related("campaign", "uploaded_by")
    return imports if is_admin(user) else imports.filter(uploaded_by=user)


def history_of(user):
    """The history list: every import for admins; for staff, their own and those of the
    campaigns of the programmes they follow, whoever uploaded them."""
    imports = ResultImport.objects.select_related("campaign", "uploaded_by")
    if is_admin(user):
        return imports
    return imports.filter(
        Q(uploaded_by=user)
        | Q(campaign__in=Campaign.objects.filter(programmes__assignments__user=user))
    )


@permission_required("campaigns.import_results")
@require_http_methods(["GET", "POST"])
def import_new(request):
    campaigns = queries.campaigns_visible_to(request.user)
    initial = (
        {"campaign": request.GET.get("campagne")}
        if request.GET.get("campagne", "").isdigit()
        else None
    )
    form = ResultUploadForm(
        request.POST or None, request.FILES or None, campaigns=campaigns, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        plan = services.plan_result_import(
            data,
            campaign=form.cleaned_data["campaign"],
            by=request.user,
            max_bytes=settings.UPLOAD_MAX_BYTES,
        )
        if plan.refused and all(error.line == 0 for error in plan.errors):
            for error in plan.errors:  # the whole file is refused: say why, keep nothing
                form.add_error("file", error.message)
        else:
            summary = plan.summary()
            result_import = services.store_result_file(
                data,
                name=upload.name,
                by=request.user,
                campaign=plan.campaign,
                summary=summary,
                status=batches.outcome_at_upload(plan.refused, services.nothing_new(summary)),
            )
            return redirect("campaigns:import", pk=result_import.pk)
    return render(
        request,
        "campaigns/import_new.html",
        {"form": form, "history": history_of(request.user)[:20]},
    )


@permission_required("campaigns.import_results")
def import_detail(request, pk):
    result_import = _taken_back_if_stale(get_object_or_404(imports_of(request.user), pk=pk))
    if result_import.status != ResultImport.Status.PREVIEWED:
        return render(
            request,
            "campaigns/import_result.html",
            {
                "result_import": result_import,
                "progress": services.import_progress(result_import),
            },
        )
    with result_import.file.open("rb") as handle:
        data = handle.read()
    plan = services.plan_result_import(data, campaign=result_import.campaign, by=request.user)
    return render(
        request,
        "campaigns/import_preview.html",
        {
            "result_import": result_import,
            "plan": plan,
            "summary": plan.summary(),
            "unmatched_rows": [plan.first_rows[key] for key in plan.unmatched[:200]],
            "new_rows": plan.new_shares[:200],
            "renamed": [
                (line, key, changes.items())
                for key, (line, changes) in list(plan.renamed.items())[:200]
            ],
        },
    )


@permission_required("campaigns.import_results")
@require_POST
def import_confirm(request, pk):
    """Confirm a previewed export, or retry a failed one."""
    result_import = get_object_or_404(imports_of(request.user), pk=pk)
    try:
        claimed = batches.confirm(
            result_import,
            task=tasks.apply_result_import,
            apply=services.apply_result_import,
            threshold=settings.PIX_IMPORT_TASK_THRESHOLD,
        )
    except LockError as error:  # the campaign was deleted meanwhile
        messages.error(request, error.message)
        return redirect("campaigns:list")
    if claimed:
        if result_import.status == ResultImport.Status.APPLIED:
            messages.success(request, _("Les résultats sont importés."))
        elif result_import.status == ResultImport.Status.FAILED:
            messages.error(request, _("L'import a échoué : rien n'a été modifié."))
        elif result_import.status == ResultImport.Status.REFUSED:
            messages.error(request, _("Le fichier a été refusé : rien n'a été modifié."))
    return redirect("campaigns:import", pk=result_import.pk)


@permission_required("campaigns.import_results")
@require_POST
def import_cancel(request, pk):
    """« Annuler » on a preview: the import is marked cancelled, nothing is written."""
    result_import = get_object_or_404(imports_of(request.user), pk=pk)
    if batches.cancel(ResultImport, result_import.pk):
        messages.info(request, _("Import annulé : rien n'a été modifié."))
    return redirect("campaigns:import_new")


def _taken_back_if_stale(result_import: ResultImport) -> ResultImport:
    if result_import.status == ResultImport.Status.QUEUED and batches.release_stale(
        ResultImport, result_import.pk
    ):
        result_import.refresh_from_db()
    return result_import


@permission_required("campaigns.import_results")
def import_progress(request, pk):
    result_import = _taken_back_if_stale(get_object_or_404(imports_of(request.user), pk=pk))
    return JsonResponse(
        {"status": result_import.status, "progress": services.import_progress(result_import)}
    )
