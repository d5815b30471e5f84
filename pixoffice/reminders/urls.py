from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("equipe/rappels/", views.rule_list, name="list"),
    path("equipe/rappels/nouveau", views.rule_create, name="create"),
    path("equipe/rappels/<int:pk>/", views.rule_detail, name="rule"),
]
