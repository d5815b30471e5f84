from django.urls import path

from . import views
from .service import api

app_name = "api"
urlpatterns = [
    path("v1/", api.urls),
    # the admins' page: create, list and revoke the tokens
    path("jetons/", views.token_list, name="token_list"),
    path("jetons/nouveau", views.token_create, name="token_create"),
    path("jetons/<int:pk>/revoquer", views.token_revoke, name="token_revoke"),
]
