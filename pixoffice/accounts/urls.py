from django.urls import path, re_path

from . import views

app_name = "accounts"

urlpatterns = [
    path("compte/activer/", views.activate_account, name="activate"),
    path("etudiants/", views.student_list, name="student_list"),
    path("etudiants/<int:pk>/", views.student_detail, name="student_detail"),
    re_path(r"^etudiants/export\.(?P<fmt>csv|xlsx)$", views.roster_export, name="roster_export"),
    path("etudiants/imports/", views.roster_import_list, name="roster_import_list"),
    path("etudiants/imports/nouveau/", views.roster_import_new, name="roster_import_new"),
    path("etudiants/imports/<int:pk>/", views.roster_import_detail, name="roster_import"),
    path(
        "etudiants/imports/<int:pk>/confirmer/",
        views.roster_import_confirm,
        name="roster_import_confirm",
    ),
    path(
        "etudiants/imports/<int:pk>/annuler/",
        views.roster_import_cancel,
        name="roster_import_cancel",
    ),
    path(
        "etudiants/imports/<int:pk>/fichier/", views.roster_import_file, name="roster_import_file"
    ),
]
