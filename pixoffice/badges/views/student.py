"""The student's page « Mon badge IA »: what is required, by when, the upload, the status."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pixoffice.accounts.permissions import student_required
from pixoffice.badges import queries, services
from pixoffice.badges.forms import BadgeUploadForm

students_only = student_required("badges.upload_badge")


def _items(student, bound=None):
    """One card per required badge; ``bound`` = (requirement id, form with errors)."""
    items = []
    for requirement in queries.requirements_for(student):
        submissions = list(queries.history(student, requirement).select_related("reviewed_by"))
        current = next((s for s in submissions if s.is_current), None)
        refusal = services.upload_refusal(requirement, current)
        form = None
        if refusal is None:
            if bound and bound[0] == requirement.pk:
                form = bound[1]
            else:
                form = BadgeUploadForm(auto_id=f"id_r{requirement.pk}_%s")
        items.append(
            {
                "requirement": requirement,
                "current": current,
                "history": submissions,
                "refusal": refusal,
                "form": form,
            }
        )
    return items


@students_only
@require_GET
def my_badge(request):
    student = request.user.student
    return render(request, "badges/my_badge.html", {"items": _items(student), "student": student})


@students_only
@require_POST
def upload(request, pk):
    student = request.user.student
    requirement = get_object_or_404(queries.requirements_for(student), pk=pk)
    form = BadgeUploadForm(request.POST, request.FILES, auto_id=f"id_r{requirement.pk}_%s")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            submission = services.submit_badge(
                upload.read(),
                name=upload.name,
                student=student,
                requirement=requirement,
                by=request.user,
            )
        except services.BadgeRefused as error:
            form.add_error("file", str(error))
        else:
            if submission.holds:
                messages.success(
                    request,
                    _("Votre badge est vérifié : l'exigence « %(name)s » est remplie.")
                    % {"name": requirement.name},
                )
            else:
                messages.warning(
                    request,
                    _(
                        "Votre badge est enregistré mais n'a pas pu être vérifié automatiquement : "
                        "l'équipe pédagogique va l'examiner."
                    ),
                )
            return redirect("badges:my_badge")
    return render(
        request,
        "badges/my_badge.html",
        {"items": _items(student, bound=(requirement.pk, form)), "student": student},
    )
