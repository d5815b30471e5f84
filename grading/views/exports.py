"""Files out: the SIS export of a scheme's published notes (CSV, XLSX) and the PDF
attestations (a programme's, one student's for staff, a student's own)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from grading import attestations, exports, queries
from grading.forms import ExportForm
from grading.views.notes import managed_note
from grading.views.schemes import managed_scheme
from pixoffice.accounts.queries import programmes_visible_to
from pixoffice.core.downloads import download
from pixoffice.core.permissions import permission_required

PDF = "pdf"


@never_cache
@permission_required("grading.manage_grading")
def scheme_export(request, pk):
    """``?programme=<id>&layout=<id>&format=csv|xlsx|pdf``: the programme's published
    notes for the SIS, or its attestations as one PDF."""
    scheme = managed_scheme(request, pk)
    programmes = scheme.programmes.filter(pk__in=programmes_visible_to(request.user))
    form = ExportForm(request.GET, programmes=programmes)
    fmt = request.GET.get("format", "csv")
    if fmt not in (*exports.FORMATS, PDF) or not form.is_valid():
        messages.error(
            request,
            _(
                "Export impossible : choisissez une formation de la modalité et un format (CSV, XLSX ou PDF)."
            ),
        )
        return redirect("grading:scheme", pk=scheme.pk)
    programme, layout = form.cleaned_data["programme"], form.cleaned_data["layout"]
    if fmt == PDF:
        notes = attestations.programme_notes(scheme, programme)
        if not notes:
            messages.error(
                request,
                _("Aucune note publiée pour %(programme)s : pas d'attestation à imprimer.")
                % {"programme": programme},
            )
            return redirect("grading:scheme", pk=scheme.pk)
        return download(
            attestations.render_pdf(notes),
            exports.filename(scheme, programme, PDF, prefix="attestations"),
        )
    table = exports.sis_table(scheme, programme, layout)
    return download(table.render(fmt), exports.filename(scheme, programme, fmt))


@never_cache
@permission_required("grading.manage_grading")
def note_attestation(request, pk):
    """A student's attestation, for staff who manage the note; 404 until published."""
    note = managed_note(request, pk)
    if not note.is_published:
        raise Http404
    return download(attestations.note_attestation(note), attestations.attestation_filename(note))


@never_cache
@permission_required("grading.view_own_notes")
def my_attestation(request, pk):
    """The student's own attestation; another student's note, or an unpublished one,
    answers 404."""
    student = getattr(request.user, "student", None)
    if student is None:  # a superuser passes every permission but has no notes
        raise PermissionDenied
    note = get_object_or_404(
        queries.published_notes_of(student).select_related("student__programme"), pk=pk
    )
    return download(attestations.note_attestation(note), attestations.attestation_filename(note))
