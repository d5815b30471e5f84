from django.urls import path

from . import views

app_name = "mail"

urlpatterns = [
    path("equipe/courriels/", views.outbox, name="outbox"),
    path("equipe/courriels/<int:pk>/", views.message_detail, name="message"),
    path("equipe/envois/<int:pk>/", views.batch_detail, name="batch"),
    path("equipe/envois/<int:pk>/retenir", views.batch_hold, name="batch_hold"),
    path("equipe/envois/<int:pk>/liberer", views.batch_release, name="batch_release"),
]
