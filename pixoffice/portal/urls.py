from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("etudiant/", views.student_home, name="student_home"),
    path("equipe/", views.staff_home, name="staff_home"),
]
