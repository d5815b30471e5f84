"""Point 4 of issue 10: a grid used by schemes of programmes a staff member does not
follow is read-only to them; admins and staff following all those programmes edit it."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from grading import grids, services
from grading.models import Grid, Note
from pixoffice.accounts.models import Student

pytestmark = pytest.mark.django_db


def halved(grid):
    return "\n".join(f"{s[0].replace('.', ',')};{float(s[1]) / 2}" for s in grid.steps)


def test_histoire_staff_cannot_edit_a_grid_used_for_other_programmes(client, people, scheme):
    se_grid = scheme.components.exclude(grid=None).first().grid
    services.recompute_notes(scheme)
    sed = Student.objects.filter(programme__name="L2 SED")
    before = list(Note.objects.filter(student__in=sed).values_list("value", flat=True))
    client.force_login(people["staff_other"])  # follows L2 Histoire only
    url = reverse("grading:grid_edit", args=[se_grid.pk])
    steps = halved(se_grid)

    assert client.get(url).status_code == 403
    simulated = client.post(url, {"scale": "10", "steps": steps, "action": "simulate"})
    saved = client.post(url, {"scale": "10", "steps": steps, "action": "save", "simulated": "x"})
    deleted = client.post(reverse("grading:grid_delete", args=[se_grid.pk]))

    assert (simulated.status_code, saved.status_code, deleted.status_code) == (403, 403, 403)
    assert Grid.objects.get(pk=se_grid.pk).steps == se_grid.steps
    assert Grid.objects.count() == 1
    assert list(Note.objects.filter(student__in=sed).values_list("value", flat=True)) == before
    page = client.get(reverse("grading:grid", args=[se_grid.pk])).content.decode()
    assert "elle est en lecture seule pour vous" in page
    assert reverse("grading:grid_edit", args=[se_grid.pk]) not in page


def test_a_file_upload_over_that_grid_is_refused_too(people, scheme, data_dir):
    se_grid = scheme.components.exclude(grid=None).first().grid
    data = grids.grid_csv(se_grid).replace(b"0,25;0,5", b"0,25;5")

    with pytest.raises(services.GradingError, match="lecture seule pour vous"):
        grids.import_grid(
            data, name=se_grid.name, academic_year=se_grid.academic_year, by=people["staff_other"]
        )
    assert Grid.objects.get(pk=se_grid.pk).steps == se_grid.steps


def test_copying_it_for_another_year_is_still_possible(client, people, scheme, year):
    se_grid = scheme.components.exclude(grid=None).first().grid
    following = type(year).objects.exclude(pk=year.pk).first() or type(year).objects.create(
        name="2030-2031", start="2030-09-01", end="2031-08-31"
    )
    client.force_login(people["staff_other"])

    client.post(reverse("grading:grid_copy", args=[se_grid.pk]), {"academic_year": following.pk})

    assert Grid.objects.filter(academic_year=following).count() == 1
    assert Grid.objects.get(pk=se_grid.pk).steps == se_grid.steps


@pytest.mark.parametrize("who", ["staff", "admin"])
def test_admins_and_staff_of_every_programme_edit_it(client, people, scheme, who):
    se_grid = scheme.components.exclude(grid=None).first().grid
    client.force_login(people[who])
    url = reverse("grading:grid_edit", args=[se_grid.pk])
    steps = halved(se_grid)

    token = client.post(url, {"scale": "10", "steps": steps, "action": "simulate"}).context["token"]
    client.post(url, {"scale": "10", "steps": steps, "action": "save", "simulated": token})

    assert Grid.objects.get(pk=se_grid.pk).steps[-1] == ["5", "5"]


def test_a_grid_no_scheme_uses_is_anyones(client, people, se_grid):
    client.force_login(people["staff_other"])

    assert client.get(reverse("grading:grid_edit", args=[se_grid.pk])).status_code == 200
    assert grids.save_grid(
        se_grid, steps=se_grid.step_list()[:3], scale=D(10), by=people["staff_other"]
    )
