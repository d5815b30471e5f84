from django.urls import path

from . import calendar_views, staff_calendar_views, student_record_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("etudiant/", views.student_home, name="student_home"),
    path("equipe/", views.staff_home, name="staff_home"),
    path(
        "etudiants/<int:pk>/dossier/",
        student_record_views.student_record_page,
        name="student_record",
    ),
    path("etudiant/calendrier/", calendar_views.calendar, name="calendar"),
    path(
        "etudiant/calendrier/nouvelle-adresse",
        calendar_views.calendar_feed_renew,
        name="calendar_feed_renew",
    ),
    path("equipe/calendrier/", staff_calendar_views.staff_calendar_page, name="staff_calendar"),
    path("calendrier/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
]
