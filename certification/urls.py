from django.urls import path

from .views import allocation, candidates, documents, results, sessions, student

app_name = "certification"

urlpatterns = [
    path("ma-certification/", student.my_certification, name="mine"),
    path("ma-certification/sessions/<int:pk>/inscription/", student.enrol, name="enrol"),
    path(
        "ma-certification/inscriptions/<int:pk>/desinscription/",
        student.withdraw,
        name="withdraw",
    ),
    path(
        "ma-certification/indisponibilites/",
        student.unavailability_add,
        name="unavailability_add",
    ),
    path(
        "ma-certification/indisponibilites/<int:pk>/supprimer/",
        student.unavailability_remove,
        name="unavailability_remove",
    ),
    path(
        "ma-certification/convocations/<int:pk>/",
        documents.my_convocation,
        name="my_convocation",
    ),
    path("certification/sessions/", sessions.session_list, name="session_list"),
    path("certification/sessions/nouvelle/", sessions.session_create, name="session_create"),
    path("certification/sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("certification/sessions/<int:pk>/modifier/", sessions.session_edit, name="session_edit"),
    path("certification/sessions/<int:pk>/publier/", sessions.publish, name="session_publish"),
    path("certification/sessions/<int:pk>/clore/", sessions.close, name="session_close"),
    path(
        "certification/sessions/<int:pk>/pix-certif.csv",
        sessions.pix_certif_export,
        name="pix_certif_export",
    ),
    path(
        "certification/sessions/<int:pk>/convocations.pdf",
        documents.session_convocations,
        name="session_convocations",
    ),
    path(
        "certification/sessions/<int:pk>/emargement.pdf",
        documents.session_attendance,
        name="session_attendance",
    ),
    path("certification/documents-du-jour/", documents.day_documents, name="day_documents"),
    path("certification/sessions/<int:pk>/placer/", sessions.place, name="candidate_place"),
    path("certification/candidats/<int:pk>/retirer/", sessions.remove, name="candidate_remove"),
    path("certification/sessions/<int:pk>/deplacer/", candidates.move, name="candidate_move"),
    path(
        "certification/sessions/<int:pk>/presences/",
        candidates.record_attendance,
        name="attendance",
    ),
    path("certification/allocation/", allocation.allocation_new, name="allocation_new"),
    path(
        "certification/allocation/<int:pk>/", allocation.allocation_detail, name="allocation_detail"
    ),
    path(
        "certification/allocation/<int:pk>/appliquer/",
        allocation.allocation_apply,
        name="allocation_apply",
    ),
    path("certification/resultats/", results.results_import_new, name="results_import_new"),
    path("certification/resultats/<int:pk>/", results.results_import, name="results_import"),
    path(
        "certification/resultats/<int:pk>/confirmer/",
        results.results_import_confirm,
        name="results_import_confirm",
    ),
]
