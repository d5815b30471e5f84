from django.urls import path, re_path

from .views import files, staff, student

app_name = "badges"

urlpatterns = [
    path("mon-badge-ia/", student.my_badge, name="my_badge"),
    path("mon-badge-ia/<int:pk>/deposer/", student.upload, name="upload"),
    path("badges/", staff.queue, name="queue"),
    path("badges/depots/<int:pk>/", files.submission_detail, name="submission"),
    path("badges/depots/<int:pk>/fichier/", files.submission_file, name="submission_file"),
    path("badges/depots/<int:pk>/examiner/", staff.review, name="review"),
    path("badges/exigences/", staff.requirement_list, name="requirement_list"),
    path("badges/exigences/nouvelle/", staff.requirement_create, name="requirement_create"),
    path("badges/exigences/<int:pk>/", staff.follow_up, name="follow_up"),
    path("badges/exigences/<int:pk>/modifier/", staff.requirement_edit, name="requirement_edit"),
    re_path(
        r"^badges/exigences/(?P<pk>\d+)/suivi\.(?P<fmt>csv|xlsx)$",
        staff.follow_up_export,
        name="follow_up_export",
    ),
]
