"""The staff page of one student (« dossier »), within the staff member's programmes."""

from django.shortcuts import get_object_or_404, render

from pixoffice.accounts.queries import students_visible_to
from pixoffice.core.permissions import permission_required

from .student_record import student_record


@permission_required("accounts.view_student_list")
def student_record_page(request, pk):
    # another programme's student: 404, as if there were none
    student = get_object_or_404(students_visible_to(request.user), pk=pk)
    return render(
        request, "portal/student_record.html", {"record": student_record(student, request.user)}
    )
