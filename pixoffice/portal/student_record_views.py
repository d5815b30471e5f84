"""The staff page of one student (« dossier »), within the staff member's programmes."""

from django.shortcuts import get_object_or_404, render

from pixoffice.accounts.queries import students_visible_to
from pixoffice.core.permissions import permission_required

from . import student_record


@permission_required("accounts.view_student_list")
def student_record_page(request, pk):
    # another programme's student: 404, as if there were none
    # with the roster imports that created and last changed the row (the same query)
    student = get_object_or_404(
        students_visible_to(request.user).select_related(*student_record.ROSTER_IMPORTS), pk=pk
    )
    return render(
        request,
        "portal/student_record.html",
        {"record": student_record.student_record(student, request.user)},
    )
