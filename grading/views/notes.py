"""One note, for staff (explanation, sources, history, override) and for its student."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grading import explain, queries, services
from grading.forms import OverrideForm, ReasonForm
from grading.models import Note, NoteChange
from grading.rules import can_manage_scheme, is_student
from pixoffice.accounts.queries import students_visible_to
from pixoffice.core.permissions import permission_required


def managed_note(request, pk) -> Note:
    note = get_object_or_404(
        Note.objects.select_related("scheme", "scheme__academic_year", "student__programme"),
        pk=pk,
        student__in=students_visible_to(request.user),
    )
    if not can_manage_scheme(request.user, note.scheme):
        raise Http404
    return note


@permission_required("grading.manage_grading")
def note_detail(request, pk, override_form=None, remove_form=None):
    note = managed_note(request, pk)
    return render(
        request,
        "grading/note_detail.html",
        {
            "note": note,
            "sentences": explain.sentences(note.explanation),
            "published_sentences": explain.sentences(note.published_explanation),
            "grids": explain.grids_used(note.explanation),
            "changes": note.changes.select_related("by"),
            "override_form": override_form or OverrideForm(note=note),
            "remove_form": remove_form or ReasonForm(),
        },
    )


@permission_required("grading.manage_grading")
@require_POST
def note_override(request, pk):
    note = managed_note(request, pk)
    form = OverrideForm(request.POST, note=note)
    if not form.is_valid():
        return note_detail(request, pk, override_form=form)
    data = form.cleaned_data
    services.override_note(
        note, value=data["value"], result=data["result"], reason=data["reason"], by=request.user
    )
    messages.success(
        request,
        _(
            "Note modifiée. Si elle était publiée, publiez de nouveau la formation pour que l'étudiant·e la voie."
        ),
    )
    return redirect("grading:note", pk=note.pk)


@permission_required("grading.manage_grading")
@require_POST
def note_override_remove(request, pk):
    note = managed_note(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return note_detail(request, pk, remove_form=form)
    services.remove_override(note, reason=form.cleaned_data["reason"], by=request.user)
    messages.success(request, _("La note calculée s'applique de nouveau."))
    return redirect("grading:note", pk=note.pk)


@login_required
def my_notes(request):
    # a predicate, not has_perm(): superusers hold every permission but have no notes
    if not is_student(request.user):
        raise PermissionDenied
    public = NoteChange.objects.filter(
        kind__in=[NoteChange.Kind.PUBLISHED, NoteChange.Kind.REPUBLISHED]
    )
    notes = list(
        queries.published_notes_of(request.user.student).prefetch_related(
            Prefetch("changes", queryset=public, to_attr="public_changes")
        )
    )
    for note in notes:
        note.sentences = explain.sentences(note.published_explanation)
        note.grids = explain.grids_used(note.published_explanation)
    return render(request, "grading/my_notes.html", {"notes": notes})
