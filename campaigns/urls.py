from django.urls import path, re_path

from .views import campaigns, imports, student, unmatched

app_name = "campaigns"

urlpatterns = [
    path("campagnes/", campaigns.campaign_list, name="list"),
    path("campagnes/nouvelle/", campaigns.campaign_create, name="create"),
    path("campagnes/<int:pk>/", campaigns.campaign_detail, name="detail"),
    path("campagnes/<int:pk>/modifier/", campaigns.campaign_edit, name="edit"),
    re_path(
        r"^campagnes/(?P<pk>\d+)/suivi\.(?P<fmt>csv|xlsx)$",
        campaigns.campaign_export,
        name="export",
    ),
    path("campagnes/<int:pk>/non-rattaches/", unmatched.unmatched_queue, name="unmatched"),
    path(
        "campagnes/<int:pk>/non-rattaches/<int:participation_pk>/ignorer/",
        unmatched.unmatched_ignore,
        name="unmatched_ignore",
    ),
    path(
        "campagnes/<int:pk>/non-rattaches/<int:participation_pk>/retablir/",
        unmatched.unmatched_restore,
        name="unmatched_restore",
    ),
    path("campagnes/imports/nouveau/", imports.import_new, name="import_new"),
    path("campagnes/imports/<int:pk>/", imports.import_detail, name="import"),
    path("campagnes/imports/<int:pk>/confirmer/", imports.import_confirm, name="import_confirm"),
    path("campagnes/imports/<int:pk>/annuler/", imports.import_cancel, name="import_cancel"),
    path("campagnes/imports/<int:pk>/avancement/", imports.import_progress, name="import_progress"),
    path("mes-campagnes/", student.my_campaigns, name="mine"),
]
