from django.urls import path

from .views import exports, grids, notes, schemes

app_name = "grading"

urlpatterns = [
    path("notes/", schemes.scheme_list, name="scheme_list"),
    path("notes/modalites/nouvelle/", schemes.scheme_form, name="scheme_create"),
    path("notes/modalites/<int:pk>/", schemes.scheme_detail, name="scheme"),
    path("notes/modalites/<int:pk>/modifier/", schemes.scheme_form, name="scheme_edit"),
    path("notes/modalites/<int:pk>/recalculer/", schemes.scheme_recompute, name="recompute"),
    path("notes/modalites/<int:pk>/publier/", schemes.scheme_publish, name="publish"),
    path("notes/<int:pk>/", notes.note_detail, name="note"),
    path("notes/<int:pk>/modifier/", notes.note_override, name="override"),
    path(
        "notes/<int:pk>/annuler-modification/", notes.note_override_remove, name="override_remove"
    ),
    path("notes/grilles/", grids.grid_list, name="grid_list"),
    path("notes/grilles/nouvelle/", grids.grid_create, name="grid_create"),
    path("notes/grilles/<int:pk>/", grids.grid_detail, name="grid"),
    path("notes/grilles/<int:pk>/modifier/", grids.grid_edit, name="grid_edit"),
    path("notes/grilles/<int:pk>/grille.csv", grids.grid_csv, name="grid_csv"),
    path("notes/grilles/<int:pk>/copier/", grids.grid_copy, name="grid_copy"),
    path("notes/grilles/<int:pk>/supprimer/", grids.grid_delete, name="grid_delete"),
    path("notes/modalites/<int:pk>/export/", exports.scheme_export, name="export"),
    path("notes/<int:pk>/attestation.pdf", exports.note_attestation, name="attestation"),
    path("mes-notes/", notes.my_notes, name="mine"),
    path("mes-notes/<int:pk>/attestation.pdf", exports.my_attestation, name="my_attestation"),
]
