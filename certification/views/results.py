"""Staff pages: upload a Pix certification results file, preview it, apply it once."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from certification.models import ResultsImport
from certification.results import apply_results_import, plan_results_import
from certification.results_files import MAX_BYTES
from pixoffice.accounts.queries import students_visible_to
from pixoffice.accounts.rules import is_admin
from pixoffice.core.permissions import permission_required


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("fichier de résultats Pix (CSV)"))


def _batch(request, pk):
    batches = ResultsImport.objects.all()
    if not is_admin(request.user):
        batches = batches.filter(uploaded_by=request.user)
    return get_object_or_404(batches, pk=pk)


def _plan(request, data):
    return plan_results_import(data, students=students_visible_to(request.user))


@permission_required("certification.manage_sessions")
def results_import_new(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", _("Le fichier est trop volumineux (5 Mo au plus)."))
        else:
            data = upload.read()
            plan = _plan(request, data)
            if plan.ok:
                batch = ResultsImport.keep(
                    data, name=upload.name, by=request.user, summary=plan.summary()
                )
                return redirect("certification:results_import", pk=batch.pk)
    return render(
        request,
        "certification/results_import_new.html",
        {"form": form, "summary": plan.summary() if plan else None},
    )


@permission_required("certification.manage_sessions")
def results_import(request, pk):
    batch = _batch(request, pk)
    with batch.file.open("rb") as file:
        plan = _plan(request, file.read())
    unmatched = [r for r in plan.parsed.rows if r.line not in plan.students]
    return render(
        request,
        "certification/results_import.html",
        {"batch": batch, "summary": batch.summary or plan.summary(), "unmatched": unmatched},
    )


@permission_required("certification.manage_sessions")
@require_POST
def results_import_confirm(request, pk):
    batch = _batch(request, pk)
    with batch.file.open("rb") as file:
        plan = _plan(request, file.read())
    if not plan.ok:
        messages.error(request, _("Ce fichier est refusé : rien n'a été écrit."))
        return redirect("certification:results_import", pk=batch.pk)
    claimed = ResultsImport.objects.filter(
        pk=batch.pk, status=ResultsImport.Status.PREVIEWED
    ).update(status=ResultsImport.Status.QUEUED)
    if not claimed:
        messages.info(request, _("Cet import est déjà appliqué."))
        return redirect("certification:results_import", pk=batch.pk)
    counts = apply_results_import(plan)
    ResultsImport.objects.filter(pk=batch.pk).update(
        status=ResultsImport.Status.APPLIED,
        applied_at=timezone.now(),
        summary=plan.summary() | counts,
    )
    messages.success(
        request,
        _(
            "Résultats enregistrés : %(created)d nouveaux, %(changed)d modifiés, %(unchanged)d inchangés."
        )
        % counts,
    )
    return redirect("certification:results_import", pk=batch.pk)
