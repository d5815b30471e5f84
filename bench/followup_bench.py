"""Follow-up benchmark (``bench/run.py followup``): a campaign with 20,000 participants
(BENCH_FOLLOWUP participants, most with shares, built by ``bulk_create``), its staff
follow-up's first page timed server-side (Django's test Client in this process, logged
in as staff, the best of 3 after one warm-up), with its query count, against a bare
page rendering 50 rows of the same student table through the same Client, measured in
the same run. Target: the first page under 300 ms.
"""

import os
import time

PARTICIPANTS = int(os.environ.get("BENCH_FOLLOWUP", "20000"))
RUNS = 3
TARGET_MS = 300
PREFIX = "9"  # the bench's student numbers: 9xxxxxxx


def _world():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from campaigns.models import Campaign, Competence
    from pixoffice.accounts.models import AcademicYear, Programme, Role, StaffAssignment, User
    from tests.factories.followup import follow_up_world

    if not os.environ.get("BENCH_KEEP"):
        _clean()
    programme, _ = Programme.objects.get_or_create(name="Bench suivi")
    year, _ = AcademicYear.objects.get_or_create(
        name="2025-2026", defaults={"start": dt.date(2025, 9, 1), "end": dt.date(2026, 8, 31)}
    )
    campaign = Campaign.objects.create(
        name="Bench suivi",
        code="BENCHSUIV",
        academic_year=year,
        opens_on=dt.date(2025, 9, 1),
        deadline=dt.datetime(2026, 5, 31, 23, 59, tzinfo=ZoneInfo("Europe/Paris")),
        target_level=3,
    )
    campaign.programmes.set([programme])
    campaign.competences.set(Competence.objects.filter(code__in=["1.1", "2.1", "3.1", "4.1"]))
    # one roster student in ten never joins: PARTICIPANTS participants
    students = -(-PARTICIPANTS * 10 // 9)
    follow_up_world(campaign, programme, students, prefix=PREFIX)
    staff, _ = User.objects.get_or_create(
        email="bench-suivi@univ-exemple.fr", defaults={"role": Role.STAFF}
    )
    StaffAssignment.objects.get_or_create(user=staff, programme=programme)
    return campaign, programme, staff, students


def _clean():
    from campaigns.models import Campaign
    from pixoffice.accounts.models import Student

    Campaign.objects.filter(code="BENCHSUIV").delete()
    Student.objects.filter(programme__name="Bench suivi").delete()


def _measure(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up (templates, caches of the process)
    assert response.status_code == 200, (url, response.status_code)
    best, queries, size = None, 0, len(response.content)
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            seconds = time.perf_counter() - start
        assert response.status_code == 200
        if best is None or seconds < best:
            best, queries = seconds, len(captured)
    return best * 1000, queries, size


def followup_bench():
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from campaigns.models import Participation, Share

    start = time.perf_counter()
    campaign, programme, staff, students = _world()
    built = time.perf_counter() - start
    participants = Participation.objects.filter(campaign=campaign).count()
    shares = Share.objects.filter(participation__campaign=campaign).count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_student, campaigns_participation, campaigns_share")
    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"], DEBUG=False):
        client = Client()
        client.force_login(staff)
        detail = reverse("campaigns:detail", kwargs={"pk": campaign.pk})
        bare_ms, bare_queries, bare_size = _measure(client, f"/bench/bare-rows/{programme.pk}/")
        first_ms, first_queries, first_size = _measure(client, detail)
        shared_ms, shared_queries, _ = _measure(client, f"{detail}?status=shared&page=100")
        below_ms, below_queries, _ = _measure(client, f"{detail}?status=below&q=Nom")
    print(
        f"follow-up of a campaign, {students} roster students, {participants} participants, "
        f"{shares} shares (built in {built:.1f} s), PostgreSQL, server-side (test Client)"
    )
    print(
        f"  baseline: bare page, 50 rows of the same table   : {bare_ms:7.1f} ms  "
        f"{bare_queries:2d} queries  {bare_size / 1024:6.1f} KB  (1.0x)"
    )
    for label, ms, n, size in [
        ("follow-up, first page (50 rows)               ", first_ms, first_queries, first_size),
        ("follow-up, « envoyé », page 100               ", shared_ms, shared_queries, None),
        ("follow-up, « sous le niveau visé » + search   ", below_ms, below_queries, None),
    ]:
        weight = f"{size / 1024:6.1f} KB" if size else "         "
        print(f"  {label}: {ms:7.1f} ms  {n:2d} queries  {weight}  ({ms / bare_ms:.1f}x)")
    verdict = "yes" if first_ms < TARGET_MS else "NO"
    print(f"  first page under {TARGET_MS} ms: {verdict}")
    if not os.environ.get("BENCH_KEEP"):
        _clean()
