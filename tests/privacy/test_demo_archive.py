"""The demo's archive year (``pixoffice.portal.archive_demo``): the year past retention
that ``purge_personal_data --dry-run`` lists on the demo, and whose figures the
statistics page still shows once the real purge has removed its personal data."""

import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import models
from django.db.models import Q

from campaigns.models import Participation, ResultImport
from pixoffice.accounts.models import AcademicYear, RosterImport, Student, User
from pixoffice.portal.archive_demo import STUDENTS, email, load_archive_demo, number
from pixoffice.privacy import year_statistics
from tests.factories import AcademicYearFactory, AdminFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(programmes):
    """The archive year on top of what it needs: the programmes and a current year."""
    current = AcademicYearFactory(
        name="2026-2027", start=dt.date(2026, 9, 1), end=dt.date(2027, 8, 31)
    )
    return load_archive_demo(current)


def dry_run() -> dict:
    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", "--json", stdout=out)
    return json.loads(out.getvalue())


def figures(year):
    admin = AdminFactory()
    return [
        (str(line.programme), vars(line.counts))
        for block in year_statistics.statistics_for(admin)
        if block.year == year
        for line in block.lines
    ]


def personal_data_left(year) -> dict[str, int]:
    """Rows pointing at the year's students, and any text still naming them."""
    words = [s[0] for s in STUDENTS] + [number(year.start.year, i) for i in range(len(STUDENTS))]
    words += [email(s[1], s[0]) for s in STUDENTS] + ["Inconnu", "97999999"]
    left = {}
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.ForeignKey) and f.related_model is Student:
                n = model.objects.filter(**{f"{f.name}__academic_year": year}).count()
                if n:
                    left[f"{model._meta.label}.{f.name}"] = n
            elif isinstance(f, models.CharField | models.TextField):
                naming = Q()
                for word in words:
                    naming |= Q(**{f"{f.name}__icontains": word})
                if n := model.objects.filter(naming).count():
                    left[f"{model._meta.label}.{f.name}"] = n
    return left


def test_the_archive_year_is_seven_years_back_and_past_retention(archive):
    assert archive.name == "2019-2020"
    assert Student.objects.filter(academic_year=archive).count() == len(STUDENTS) == 12
    plan = dry_run()
    assert plan["years"] == ["2019-2020"]  # ended in 2020: past retention since 2025
    totals = plan["totals"]
    assert totals["students"] == 12
    assert totals["participations"] == 13  # and one participant unknown to the roster
    assert totals["shares"] == 15  # nine in November, five later, the unknown one's
    assert totals["notes"] == 12
    assert totals["result_imports"] == 2 and totals["roster_imports"] == 1
    assert plan["files"]["count"] == 3 and plan["files"]["bytes"] > 0


def test_loading_again_converges(archive):
    before = dry_run()
    load_archive_demo(AcademicYear.objects.get(name="2026-2027"))
    assert dry_run() == before


def test_the_purge_removes_the_archive_year_and_keeps_its_figures(
    archive, django_capture_on_commit_callbacks
):
    before = figures(archive)
    assert sum(c["students"] for _p, c in before) == 12
    assert sum(c["shares"] for _p, c in before) == 15
    files = [
        name
        for model in (RosterImport, ResultImport)
        for name in model.objects.values_list("file", flat=True)
    ]
    assert len(files) == 3 and all(default_storage.exists(name) for name in files)
    users = list(
        Student.objects.filter(academic_year=archive, user__isnull=False).values_list(
            "user", flat=True
        )
    )
    assert len(users) == 2
    assert personal_data_left(archive)  # the check sees them before

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_personal_data", stdout=io.StringIO())

    assert figures(archive) == before
    assert personal_data_left(archive) == {}
    assert not Participation.objects.filter(campaign__academic_year=archive).exists()
    assert not User.objects.filter(pk__in=users).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert dry_run()["totals"] == dict.fromkeys(dry_run()["totals"], 0)
