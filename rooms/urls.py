from django.urls import path

from . import views

app_name = "rooms"

urlpatterns = [
    path("salles/", views.room_list, name="list"),
    path("salles/nouvelle/", views.room_create, name="room_create"),
    path("salles/<int:pk>/modifier/", views.room_edit, name="room_edit"),
    path("salles/sites/nouveau/", views.site_create, name="site_create"),
    path("salles/sites/<int:pk>/modifier/", views.site_edit, name="site_edit"),
]
