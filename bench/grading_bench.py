"""Grading benchmark: recompute the notes of BENCH_STUDENTS (50,000) students on
PostgreSQL, against a ``bulk_update`` of the same rows with no grading logic, measured in
the same run. Called by ``bench/run.py`` (``make bench``)."""

import datetime as dt
import os
import random
import resource
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

STUDENT_FIELDS = ["student_number", "last_name", "first_name", "email", "programme"]
STUDENT_FIELDS += ["academic_year", "group", "extra_time_percent", "birth_place", "birth_name"]
STUDENT_FIELDS += ["ine", "created_at", "updated_at"]
BLANKS = ("", 0, "", "", "")
SHARE_FIELDS = ["participation", "shared_at", "total_pix", "certifiable", "certifiable_count"]
SHARE_FIELDS += ["results", "is_late", "counts"]


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _world(students: int):
    from campaigns.models import Campaign, Competence, Participation, Share
    from grading import grids
    from grading.demo import saint_etienne_steps
    from grading.models import Component, Grid, Scheme
    from pixoffice.accounts.models import AcademicYear, Programme, Student
    from pixoffice.badges.models import BadgeRequirement
    from pixoffice.core.bulk import copy_rows

    now = dt.datetime.now(dt.UTC)
    year, _ = AcademicYear.objects.get_or_create(
        name="2030-2031", defaults={"start": dt.date(2030, 9, 1), "end": dt.date(2031, 8, 31)}
    )
    programme, _ = Programme.objects.get_or_create(name="Bench grading")
    Scheme.objects.filter(academic_year=year).delete()
    Grid.objects.filter(academic_year=year).delete()
    Campaign.objects.filter(code="BENCHNOTE").delete()
    BadgeRequirement.objects.filter(academic_year=year).delete()
    Student.objects.filter(programme=programme).delete()
    copy_rows(
        Student,
        STUDENT_FIELDS,
        [
            (f"{60000000 + i}", f"Nom{i}", "Prénom", "", programme.pk, year.pk, *BLANKS, now, now)
            for i in range(students)
        ],
    )
    ids = list(Student.objects.filter(programme=programme).values_list("pk", flat=True))
    campaign = Campaign.objects.create(
        name="Bench notes",
        code="BENCHNOTE",
        academic_year=year,
        opens_on=dt.date(2030, 9, 1),
        deadline=dt.datetime(2031, 5, 31, 23, 59, tzinfo=ZoneInfo("Europe/Paris")),
    )
    codes = ["1.1", "2.1", "3.1", "4.1"]
    campaign.competences.set(Competence.objects.filter(code__in=codes))
    copy_rows(
        Participation,
        ["campaign", "identifier", "student", "last_name", "first_name", "group"],
        [(campaign.pk, str(pk), pk, "Nom", "Prénom", "") for pk in ids],
    )
    participations = Participation.objects.filter(campaign=campaign).values_list("pk", flat=True)
    rng = random.Random(7)
    shared_at = dt.datetime(2031, 3, 1, tzinfo=dt.UTC)
    rows = []
    for pk in participations:
        levels = {code: rng.randint(0, 6) for code in codes}
        results = {code: [level, level * 8 + rng.randint(0, 7)] for code, level in levels.items()}
        total = sum(v[1] for v in results.values())
        rows.append((pk, shared_at, total, True, 5, results, False, True))
    copy_rows(
        Share,
        SHARE_FIELDS,
        rows,
    )
    grid = grids.create_grid(
        name="Bench", academic_year=year, scale=Decimal(10), steps=saint_etienne_steps(), by=None
    )
    requirement = BadgeRequirement.objects.create(
        name="Bench badge", academic_year=year, deadline=now
    )
    scheme = Scheme.objects.create(name="Bench", academic_year=year)
    scheme.programmes.set([programme])
    Component.objects.create(
        scheme=scheme, label="Campagne", campaign=campaign, basis="mean_level", grid=grid
    )
    Component.objects.create(
        scheme=scheme, label="Badge", kind="badge", badge_requirement=requirement, position=2
    )
    return scheme, grid, programme, campaign, requirement, year


def grading_recompute():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campaigns.models import Campaign
    from grading import services
    from grading.models import Grid, Note, NoteChange, Scheme
    from pixoffice.accounts.models import Student
    from pixoffice.badges.models import BadgeRequirement

    students = int(os.environ.get("BENCH_STUDENTS", "50000"))
    scheme, grid, programme, campaign, requirement, year = _world(students)

    first_seconds, first = timed(lambda: services.recompute_notes(scheme))
    # a grid edit: every note changes (bulk_update of every row + one audit row each)
    Grid.objects.filter(pk=grid.pk).update(
        steps=[[minimum, str(Decimal(note) / 2)] for minimum, note in grid.steps]
    )
    with CaptureQueriesContext(connection) as captured:
        changed_seconds, changed = timed(lambda: services.recompute_notes(scheme))
    batches = -(-students // services.BATCH_SIZE)
    same_seconds, same = timed(lambda: services.recompute_notes(scheme))
    grading_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # baseline: bulk_update of the same rows and fields, no grading logic
    notes = list(Note.objects.filter(scheme=scheme))
    for note in notes:
        note.value = (note.value or 0) + 1
        note.computed_at = dt.datetime.now(dt.UTC)
    baseline_seconds, _ = timed(
        lambda: Note.objects.bulk_update(
            notes,
            ["value", "result", "absence_code", "explanation", "sources", "computed_at"],
            batch_size=2000,
        )
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def rate(seconds):
        return f"{students / seconds:8.0f} students/s"

    print(f"grading recompute, {students} students (one campaign, one badge), PostgreSQL")
    print(
        f"  baseline bulk_update of the same rows      : {baseline_seconds * 1000:8.0f} ms "
        f"{rate(baseline_seconds)}  (1.0x)"
    )
    print(
        f"  first computation ({first.created} created)        : {first_seconds * 1000:8.0f} ms "
        f"{rate(first_seconds)}  ({first_seconds / baseline_seconds:.1f}x)"
    )
    print(
        f"  after a grid edit ({changed.changed} changed)        : {changed_seconds * 1000:8.0f} ms "
        f"{rate(changed_seconds)}  ({changed_seconds / baseline_seconds:.1f}x)"
    )
    print(
        f"  nothing changed ({same.unchanged} unchanged)        : {same_seconds * 1000:8.0f} ms "
        f"{rate(same_seconds)}  ({same_seconds / baseline_seconds:.1f}x)"
    )
    print(
        f"  queries after a grid edit                  : {len(captured):8d} "
        f"({batches} batches of {services.BATCH_SIZE})"
    )
    print(f"  peak memory after the recomputations       : {grading_peak_mb:8.0f} MB")
    print(f"  peak memory after the baseline too         : {peak_mb:8.0f} MB")
    NoteChange.objects.filter(note__scheme=scheme).delete()
    Scheme.objects.filter(pk=scheme.pk).delete()
    Grid.objects.filter(academic_year=year).delete()
    Campaign.objects.filter(pk=campaign.pk).delete()
    BadgeRequirement.objects.filter(pk=requirement.pk).delete()
    Student.objects.filter(programme=programme).delete()
