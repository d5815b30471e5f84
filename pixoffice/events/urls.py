from django.urls import path

from .views import staff, student

app_name = "events"

urlpatterns = [
    path("equipe/evenements/", staff.event_list, name="list"),
    path("equipe/evenements/<slug:kind>/nouveau", staff.event_create, name="create"),
    path("equipe/evenements/<slug:kind>/<int:pk>/", staff.event_edit, name="edit"),
    path("equipe/ateliers/<int:pk>/", staff.workshop_detail, name="workshop"),
    path("etudiant/ateliers/", student.my_workshops, name="my_workshops"),
    path("etudiant/ateliers/<int:pk>/inscription", student.register, name="register"),
    path("etudiant/inscriptions/<int:pk>/annuler", student.cancel, name="cancel"),
]
