"""Issue 15 point 9: a refused publication shows the scheme page again with the chosen
programme kept and the error next to its field (aria-invalid, aria-describedby)."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from grading import services
from grading.models import Note

pytestmark = pytest.mark.django_db


def field_tag(html, name):
    match = re.search(rf'<(?:select|input|textarea)[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def assert_error_next_to(html, name, text):
    tag = field_tag(html, name)
    field_id = re.search(r'\sid="([^"]+)"', tag).group(1)
    assert 'aria-invalid="true"' in tag
    assert f"{field_id}_error" in re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()
    error = re.search(rf'<div id="{field_id}_error">(.*?)</div>', html, re.S)
    assert error and text in error.group(1)


def chosen(html, programme):
    select = re.search(
        r'<select[^>]*name="programme"[^>]*id="publish-programme".*?</select>', html, re.S
    )
    assert select
    return re.search(rf'<option value="{programme.pk}"[^>]*selected', select.group(0))


@pytest.fixture
def scheme(saint_etienne):
    services.recompute_notes(saint_etienne.scheme)
    return saint_etienne.scheme


def test_without_a_programme_the_error_is_on_the_programme(staff_client, scheme):
    response = staff_client.post(reverse("grading:publish", args=[scheme.pk]), {})

    html = response.content.decode()
    assert response.status_code == 200
    assert_error_next_to(html, "programme", "Choisissez une formation.")
    assert Note.objects.filter(scheme=scheme, published_at__isnull=False).count() == 0


def test_an_open_deadline_keeps_the_programme_and_explains_next_to_the_checkbox(
    staff_client, scheme, saint_etienne, requirement
):
    requirement.deadline = timezone.now() + dt.timedelta(days=7)
    requirement.save(update_fields=["deadline"])
    sed = saint_etienne.simon.programme

    response = staff_client.post(
        reverse("grading:publish", args=[scheme.pk]), {"programme": sed.pk, "reason": "Jury"}
    )

    html = response.content.decode()
    assert chosen(html, sed)
    assert_error_next_to(html, "before_deadline", "Publication de L2 SED non faite")
    assert "Jury</textarea>" in html  # what was typed stays
    assert 'action="/notes/modalites/' in html and '#publish"' in html  # back to the form
    assert Note.objects.filter(scheme=scheme, published_at__isnull=False).count() == 0


def test_a_republication_without_reason_is_refused_next_to_the_reason(
    staff_client, scheme, saint_etienne
):
    note = Note.objects.get(scheme=scheme, student=saint_etienne.simon)
    url = reverse("grading:publish", args=[scheme.pk])
    sed = note.student.programme
    staff_client.post(url, {"programme": sed.pk, "before_deadline": "on"})
    services.override_note(note, value=D(11), result="validated", reason="Jury", by=None)

    response = staff_client.post(url, {"programme": sed.pk, "before_deadline": "on"})

    html = response.content.decode()
    assert chosen(html, sed)
    assert_error_next_to(html, "reason", "indiquez le motif de la nouvelle publication")
    note.refresh_from_db()
    assert note.published_value != D(11)


def test_the_refused_page_ids_stay_unique(staff_client, scheme):
    html = staff_client.post(reverse("grading:publish", args=[scheme.pk]), {}).content.decode()

    ids = re.findall(r'\sid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert all(f'id="{target}"' in html for d in described for target in d.split())


def test_a_programme_of_another_staff_is_refused_on_the_field(client, people, scheme):
    from pixoffice.accounts.models import Programme

    client.force_login(people["staff"])
    others = Programme.objects.exclude(pk__in=scheme.programmes.all())
    other = others.first() or Programme.objects.create(name="M1 MEEF")

    response = client.post(reverse("grading:publish", args=[scheme.pk]), {"programme": other.pk})

    assert_error_next_to(response.content.decode(), "programme", "parmi celles de la liste")
