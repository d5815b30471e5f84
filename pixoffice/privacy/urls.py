from django.urls import path

from . import retention_views

app_name = "privacy"
urlpatterns: list = [
    # statistics (anonymous counts, purged years included) and retention (admins)
    path("statistiques/", retention_views.statistics, name="statistics"),
    path("conservation/", retention_views.retention_page, name="retention"),
]
