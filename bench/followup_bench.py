"""Follow-up benchmark (``bench/run.py followup``): a campaign with 20,000 participants
(BENCH_FOLLOWUP participants, most with shares, built by ``bulk_create``), and an
assessment campaign of the same students (stages and a badge), their staff follow-up
timed server-side (Django's test Client in this process, logged in as staff, the best
of 3 after one warm-up), with query counts, against a bare page rendering 50 rows of
the same student table through the same Client, measured in the same run.

Every page is timed: the first, a later one, each status filter, « sous le niveau
visé » with a search, a stage and a badge filter; target: each under 300 ms with the
same query count. The export of the whole list (and of a filtered one) is timed too,
and its rows counted against the list's.
"""

import os
import time

PARTICIPANTS = int(os.environ.get("BENCH_FOLLOWUP", "20000"))
RUNS = 3
TARGET_MS = 300
PREFIX = "9"  # the bench's student numbers: 9xxxxxxx
BADGE = "Bases du tableur"


def _world():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from campaigns.models import Campaign, Competence
    from pixoffice.accounts.models import AcademicYear, Programme, Role, StaffAssignment, User
    from tests.factories.followup import follow_up_world

    kept = Campaign.objects.filter(code__in=["BENCHSUIV", "BENCHEVAL"]).order_by("code")
    if os.environ.get("BENCH_KEEP") and len(kept) == 2:  # the world of the last run, kept
        assessment, campaign = kept
        programme = campaign.programmes.get()
        staff = User.objects.get(email="bench-suivi@univ-exemple.fr")
        return campaign, programme, staff, programme.students.count(), assessment
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
    return campaign, programme, staff, students, _assessment_copy(campaign)


def _assessment_copy(campaign):
    """An assessment campaign of the same participants: their shares copied with a stage
    (0 to 4), a badge acquired by one in two and a mastery rate per competence."""
    from django.db import connection

    from campaigns.models import Campaign

    assessment = Campaign.objects.create(
        name="Bench suivi évaluation",
        code="BENCHEVAL",
        kind=Campaign.Kind.ASSESSMENT,
        academic_year=campaign.academic_year,
        opens_on=campaign.opens_on,
        deadline=campaign.deadline,
        stage_count=4,
        badge_names=[BADGE],
    )
    assessment.programmes.set(campaign.programmes.all())
    assessment.competences.set(campaign.competences.all())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE campaigns_participation, campaigns_share")  # a sound plan
        cursor.execute(
            "INSERT INTO campaigns_participation (campaign_id, student_id, identifier,"
            ' last_name, first_name, "group", ignored_reason, progression)'
            " SELECT %s, student_id, identifier, last_name, first_name, '', '', 1.0"
            " FROM campaigns_participation WHERE campaign_id = %s",
            [assessment.pk, campaign.pk],
        )
        cursor.execute("ANALYZE campaigns_participation")
        cursor.execute(
            "INSERT INTO campaigns_share (participation_id, shared_at, total_pix, results,"
            " mastery_rate, stage, stage_count, badges, raw, is_late, counts, progression)"
            " SELECT n.id, s.shared_at, NULL,"
            " json_build_object('1.1', json_build_array((s.id %% 100) / 100.0, 10, 5)),"
            " (s.id %% 100) / 100.0, s.id %% 5, 4,"
            " jsonb_build_object(%s::text, s.id %% 2 = 0), '[]'::json, s.is_late, s.counts, 1.0"
            " FROM campaigns_share AS s JOIN campaigns_participation AS o"
            " ON o.id = s.participation_id AND o.campaign_id = %s"
            " JOIN campaigns_participation AS n"
            " ON n.campaign_id = %s AND n.student_id = o.student_id",
            [BADGE, campaign.pk, assessment.pk],
        )
    return assessment


def _clean():
    from campaigns.models import Campaign
    from pixoffice.accounts.models import Student

    Campaign.objects.filter(code__in=["BENCHSUIV", "BENCHEVAL"]).delete()
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


def _export(client, url, expected):
    """The export's time (one run: it is the longest request) and its rows, checked."""
    start = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    rows = response.content.decode("utf-8-sig").strip().count("\r\n")  # less the header
    assert rows == expected, (url, rows, expected)
    return seconds * 1000, rows


def followup_bench():
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from campaigns.models import Participation, Share

    start = time.perf_counter()
    campaign, programme, staff, students, assessment = _world()
    built = time.perf_counter() - start
    participants = Participation.objects.filter(campaign=campaign).count()
    shares = Share.objects.filter(participation__campaign=campaign).count()
    with connection.cursor() as cursor:  # what autovacuum does after a big import
        cursor.execute("VACUUM ANALYZE campaigns_participation, campaigns_share")
        cursor.execute("ANALYZE")
    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"], DEBUG=False):
        client = Client()
        client.force_login(staff)
        detail = reverse("campaigns:detail", kwargs={"pk": campaign.pk})
        other = reverse("campaigns:detail", kwargs={"pk": assessment.pk})
        bare_ms, bare_queries, bare_size = _measure(client, f"/bench/bare-rows/{programme.pk}/")
        pages = [
            ("first page (50 rows)", detail),
            ("page 200", f"{detail}?page=200"),
            ("« pas encore rejoint », page 20", f"{detail}?status=not_joined&page=20"),
            ("« commencé, pas envoyé »", f"{detail}?status=started"),
            ("« envoyé », page 100", f"{detail}?status=shared&page=100"),
            ("« envoyé en retard », page 10", f"{detail}?status=shared_late&page=10"),
            ("« sous le niveau visé » + search", f"{detail}?status=below&q=Nom"),
            ("search « Nom012 » (1,000 students)", f"{detail}?q=Nom012"),
            ("assessment, first page", other),
            ("assessment, stage 2 + badge acquired", f"{other}?stage=2&badge=acquired:0"),
            ("assessment, « envoyé », page 50", f"{other}?status=shared&page=50"),
        ]
        timed = [(label, *_measure(client, url)) for label, url in pages]
        export = reverse("campaigns:export", kwargs={"pk": campaign.pk, "fmt": "csv"})
        shared = sum(1 for i in range(students) if i % 10 not in (0, 1, 2))
        exports = [
            ("export CSV, the whole list", *_export(client, export, students)),
            ("export CSV, « envoyé »", *_export(client, f"{export}?status=shared", shared)),
        ]
    print(
        f"follow-up of a campaign, {students} roster students, {participants} participants, "
        f"{shares} shares (built in {built:.1f} s), PostgreSQL, server-side (test Client)"
    )
    print(
        f"  baseline: bare page, 50 rows of the same table   : {bare_ms:7.1f} ms  "
        f"{bare_queries:2d} queries  {bare_size / 1024:6.1f} KB  (1.0x)"
    )
    for label, ms, n, size in timed:
        verdict = "< 300 ms" if ms < TARGET_MS else "OVER 300 ms"
        print(
            f"  {label:<40}: {ms:7.1f} ms  {n:2d} queries  {size / 1024:6.1f} KB  "
            f"({ms / bare_ms:4.1f}x)  {verdict}"
        )
    for label, ms, rows in exports:
        print(f"  {label:<40}: {ms:7.1f} ms  {rows} rows (every filtered row)")
    slowest = max(ms for _label, ms, _n, _size in timed)
    counts = {n for _label, _ms, n, _size in timed}
    verdict = "yes" if slowest < TARGET_MS else "NO"
    print(
        f"  every page under {TARGET_MS} ms: {verdict} (slowest {slowest:.1f} ms); "
        f"queries per page: {sorted(counts)}"
    )
    if not os.environ.get("BENCH_KEEP"):
        _clean()
