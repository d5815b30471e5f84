"""The bench-only URLconf (``bench/settings.py``): the product's URLs plus

- ``/bench/bare/``: a bare Django page, one query and a small template, the baseline;
- ``/bench/student-home-cold/``: the student home after forgetting every cached
  home, i.e. what the first visit after a publication costs;
- ``/bench/bare-rows/<programme>/``: 50 students of a programme in a bare table, the
  baseline of the follow-up benchmark (``bench/followup_bench.py``).

Never included by ``pixoffice/urls.py``.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from pixoffice.accounts.models import Programme, Student
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


BARE_ROWS = engines["django"].from_string(
    '<!doctype html><html lang="fr"><head><title>Bare</title></head><body><table>'
    "{% for s in rows %}<tr><td>{{ s.student_number }}</td><td>{{ s.last_name }} "
    "{{ s.first_name }}</td><td>{{ s.programme.name }}</td></tr>{% endfor %}"
    "</table></body></html>"
)


def bare_rows(request, programme):
    rows = Student.objects.filter(programme_id=programme).select_related("programme")
    rows = rows.order_by("last_name", "first_name", "pk")[:50]  # the one query
    return HttpResponse(BARE_ROWS.render({"rows": rows}))


def student_home_cold(request):
    home_data.forget_student_homes()
    return student_home(request)


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/student-home-cold/", student_home_cold),
    path("bench/bare-rows/<int:programme>/", bare_rows),
    *product,
]
