"""The bench-only URLconf (``bench/settings.py``): the product's URLs plus

- ``/bench/bare/``: a bare Django page, one query and a small template, the baseline;
- ``/bench/student-home-cold/``: the student home after forgetting every cached
  home, i.e. what the first visit after a publication costs.

Never included by ``pixoffice/urls.py``.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from pixoffice.accounts.models import Programme
from pixoffice.portal import student_home as home_data
from pixoffice.portal.views import student_home
from pixoffice.urls import urlpatterns as product

BARE = engines["django"].from_string(
    '<!doctype html><html lang="fr"><head><title>{{ title }}</title></head>'
    "<body><h1>{{ title }}</h1><p>{{ programme.name }}</p></body></html>"
)


def bare(request):
    programme = Programme.objects.order_by("pk").first()  # the one query
    return HttpResponse(BARE.render({"title": "Bare", "programme": programme}))


def student_home_cold(request):
    home_data.forget_student_homes()
    return student_home(request)


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/student-home-cold/", student_home_cold),
    *product,
]
