from django.urls import path

from . import retention_views, views

app_name = "privacy"
urlpatterns: list = [
    # a student's own copy: no pk, they only ever get their own
    path("mes-donnees/", views.my_data, name="mine"),
    path("mes-donnees/copie.json", views.my_json, name="my_json"),
    path("mes-donnees/copie/", views.my_document, name="my_document"),
    path("mes-donnees/copie.pdf", views.my_pdf, name="my_pdf"),
    # staff, for a student of their programmes (logged)
    path("etudiants/<int:pk>/donnees-personnelles/", views.student_data, name="student_data"),
    path("etudiants/donnees-personnelles/journal/", views.export_log, name="export_log"),
    # statistics (anonymous counts, purged years included) and retention (admins)
    path("statistiques/", retention_views.statistics, name="statistics"),
    path("conservation/", retention_views.retention_page, name="retention"),
]
