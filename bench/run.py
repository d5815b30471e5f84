"""Benchmarks, printed as ratios to a baseline measured in the same run.

    make bench            (DATABASE_URL must point at PostgreSQL)

1. Pix Orga import: a generated 20,000-participant profiles-collection export
   (16 competences, ~5 % with two sendings) imported end to end (parse, validate,
   match, write) against PostgreSQL ``COPY`` of the same file into a bare table.
2. Roster import: preview, then import (which plans again), of a generated roster of
   ROWS students (all new, then again unchanged), against ``COPY`` of the same file.
3. Grading: recompute 50,000 students' notes, against ``bulk_update`` of the same rows
   (``bench/grading_bench.py``).

4. Reminders: 20,000 emails through the outbox to a local SMTP sink, against Django's
   ``send_messages`` over one connection (``bench/reminders_bench.py``).

5. Allocation: 6,000 students into 200 sessions by the app's solver (OR-Tools
   min-cost flow), beside a plain greedy placement of the same input: fill rate,
   constraint violations (checked independently), groups split
   (``bench/allocation_bench.py``; no database).

6. Student home (publication day): req/s of a logged-in demo student's home against a
   bare Django page, same gunicorn, same load generator, same run
   (``bench/student_home_bench.py``).

7. Documents: 500 certification convocations rendered as the site does (query,
   template, one WeasyPrint document), against a bare WeasyPrint render of the same
   HTML (``bench/documents_bench.py``; target at most 1.3x).

8. Follow-up: the staff follow-up of a campaign with 20,000 participants, every
   filtered page and later pages, server-side, with their query counts, against a
   bare page of 50 rows of the same table, and the export of the whole list
   (``bench/followup_bench.py``; target under 300 ms a page).

``python bench/run.py grading`` (or ``pix``, ``roster``, ``reminders``, ``allocation``,
``student_home``, ``documents``, ``followup``) runs one of them.
"""

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROWS = int(os.environ.get("BENCH_ROWS", "20000"))
RUNS = 3  # each measure is the best of RUNS runs, the baseline as the rest


def setup_django():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench: DATABASE_URL must point at PostgreSQL (make bench sets it)")
    base, _, name = url.rpartition("/")
    name = name if name.endswith("_bench") else "pixoffice_bench"  # never the working database
    os.environ["DATABASE_URL"] = f"{base}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixoffice.settings.base")
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def roster_csv(rows: int) -> bytes:
    programmes = ["L2 Géographie", "L2 Histoire", "L2 SED", "L2 Sociologie"]
    lines = ["Numéro étudiant;Nom;Prénom;Courriel;Formation;Groupe;Date de naissance;Tiers-temps"]
    for i in range(rows):
        lines.append(
            f"{i:08d};Nom{i};Prénom{i % 97};e{i}@etu.univ-exemple.fr;{programmes[i % 4]};"
            f"TD{i % 5 + 1};{i % 28 + 1:02d}/{i % 12 + 1:02d}/2004;{'33%' if i % 30 == 0 else ''}"
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def best(run):
    """The fastest of RUNS calls of ``run``, which returns ``(seconds, result)``."""
    return min((run() for _ in range(RUNS)), key=lambda measure: measure[0])


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def roster_import(data: bytes, *, fresh: bool) -> dict:
    """Preview (plan), then store and apply (which plans again: the database may have
    changed since the preview), each timed; the best of RUNS runs."""
    from pixoffice.accounts import services
    from pixoffice.accounts.models import Student

    def run():
        if fresh:
            Student.objects.all().delete()
        preview, plan = timed(lambda: services.plan_roster_import(data, by=None))
        assert not plan.errors, plan.errors[:3]
        stored, batch = timed(
            lambda: services.store_roster_file(
                data, name="bench.csv", by=None, mapping=plan.mapping, academic_year=None
            )
        )
        cpu = time.process_time()
        apply, batch = timed(lambda: services.apply_roster_import(batch.pk))
        cpu = time.process_time() - cpu  # this process only: the rest is the server's
        assert batch.status == "applied", batch.summary["errors"][:3]
        total = preview + stored + apply
        return total, {
            "preview": preview,
            "apply": apply,
            "apply_cpu": cpu,
            "total": total,
            **batch.summary,
        }

    return best(run)[1]


def copy_file_baseline(data: bytes, columns: int) -> float:
    """COPY the file as it is (header skipped) into a bare table of text columns."""
    from django.db import connection

    text = data.decode("utf-8-sig").encode()
    with connection.cursor() as cursor:
        cursor.execute("drop table if exists bench_copy")
        cursor.execute(
            "create table bench_copy (" + ", ".join(f"c{i} text" for i in range(columns)) + ")"
        )
    raw = connection.connection

    def copy():
        with (
            raw.cursor() as cur,
            cur.copy(
                "copy bench_copy from stdin with (format csv, delimiter ';', header true)"
            ) as copy,
        ):
            copy.write(text)
        raw.commit()

    seconds, _ = timed(copy)
    with connection.cursor() as cursor:
        cursor.execute("drop table bench_copy")
    return seconds


def pix_import():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.db import connection

    from campaigns import services
    from campaigns.models import Campaign, Competence
    from pixoffice.accounts.models import AcademicYear, Programme, Student
    from pixoffice.core.bulk import copy_rows
    from tests.campaigns.generate import profiles_export

    participants = int(os.environ.get("BENCH_PARTICIPANTS", "20000"))
    numbers = [f"{40000000 + i:08d}" for i in range(participants)]
    programme, _ = Programme.objects.get_or_create(name="L2 SED")
    Campaign.objects.filter(code="BENCH0001").delete()
    Student.objects.all().delete()
    # the roster: 95 % of the participants are known students
    copy_rows(
        Student,
        [
            "student_number",
            "last_name",
            "first_name",
            "email",
            "programme",
            "group",
            "extra_time_percent",
            "birth_place",
            "birth_name",
            "ine",
            "sex",
            "birth_insee_code",
            "birth_postal_code",
            "birth_country",
            "needs_accessible_room",
            "created_at",
            "updated_at",
        ],
        [
            (
                n,
                f"Nom{i}",
                "Prénom",
                f"{n}@etu.fr",
                programme.pk,
                "",
                0,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                False,
                dt.datetime.now(dt.UTC),
                dt.datetime.now(dt.UTC),
            )
            for i, n in enumerate(numbers)
            if i % 20
        ],
    )
    year, _ = AcademicYear.objects.get_or_create(
        name="2025-2026", defaults={"start": dt.date(2025, 9, 1), "end": dt.date(2026, 8, 31)}
    )
    campaign = Campaign.objects.create(
        name="Bench",
        code="BENCH0001",
        academic_year=year,
        opens_on=dt.date(2025, 9, 1),
        deadline=dt.datetime(2026, 5, 31, 23, 59, tzinfo=ZoneInfo("Europe/Paris")),
    )
    campaign.programmes.set([programme])
    campaign.competences.set(Competence.objects.filter(code__in=["1.1", "2.1", "3.1", "4.1"]))
    data = profiles_export(participants, code="BENCH0001", numbers=numbers)
    header_columns = data.split(b"\n", 1)[0].count(b";") + 1

    copy_seconds = min(copy_file_baseline(data, header_columns) for _ in range(RUNS))
    preview_seconds, plan = best(
        lambda: timed(lambda: services.plan_result_import(data, campaign=campaign, by=None))
    )
    assert not plan.errors, plan.errors[:3]

    def first_import():
        with connection.cursor() as cursor:  # the bench database: start from empty tables
            cursor.execute("TRUNCATE campaigns_share, campaigns_participation")
        batch = services.store_result_file(data, name="bench.csv", by=None, campaign=campaign)
        return timed(lambda: services.apply_result_import(batch.pk))

    import_seconds, batch = best(first_import)

    def reimport():
        again = services.store_result_file(data, name="bench.csv", by=None, campaign=campaign)
        return timed(lambda: services.apply_result_import(again.pk))

    reimport_seconds, again = best(reimport)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    s = batch.summary
    with connection.cursor() as cursor:  # what the figures are measured with
        cursor.execute(
            "SELECT count(*) FILTER (WHERE contype = 'f'), count(*) FILTER (WHERE contype = 'u')"
            " FROM pg_constraint WHERE conrelid IN"
            " ('campaigns_participation'::regclass, 'campaigns_share'::regclass)"
        )
        keys, uniques = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE indexdef LIKE 'CREATE UNIQUE%%WHERE%%'"
            " AND tablename IN ('campaigns_participation', 'campaigns_share')"
        )
        (partial,) = cursor.fetchone()
    print(
        f"Pix Orga import, {participants} participants, {s['rows']} rows x {header_columns} columns "
        f"({len(data) / 1_048_576:.1f} MB), PostgreSQL; participations and shares carry "
        f"{keys} foreign keys, {uniques} unique constraints, {partial} partial unique indexes"
    )
    print(f"  baseline COPY of the file into a bare table : {copy_seconds * 1000:8.0f} ms  (1.0x)")
    print(
        f"  preview (parse, validate, match)            : {preview_seconds * 1000:8.0f} ms  "
        f"({preview_seconds / copy_seconds:.1f}x COPY)"
    )
    print(
        f"  import end to end ({s['shares_created']} shares, {s['unmatched']} unmatched) : "
        f"{import_seconds * 1000:8.0f} ms  ({import_seconds / copy_seconds:.1f}x COPY)"
    )
    print(
        f"  re-import, {again.summary['shares_unchanged']} shares unchanged     : "
        f"{reimport_seconds * 1000:8.0f} ms  ({reimport_seconds / copy_seconds:.1f}x COPY)"
    )
    print(f"  peak memory of the process                  : {peak_mb:8.0f} MB")
    Campaign.objects.filter(code="BENCH0001").delete()
    Student.objects.all().delete()


def main():
    setup_django()
    chosen = set(sys.argv[1:]) or {
        "pix",
        "roster",
        "grading",
        "reminders",
        "allocation",
        "student_home",
        "documents",
        "followup",
    }
    if "pix" in chosen:
        pix_import()
    if "roster" in chosen:
        roster_bench()
    if "grading" in chosen:
        from bench.grading_bench import grading_recompute

        grading_recompute()
    if "reminders" in chosen:
        from bench.reminders_bench import reminders_bench

        reminders_bench()
    if "allocation" in chosen:
        from bench.allocation_bench import allocation_bench

        allocation_bench()
    if "student_home" in chosen:
        from bench.student_home_bench import student_home_bench

        student_home_bench()
    if "documents" in chosen:
        from bench.documents_bench import documents_bench

        documents_bench()
    if "followup" in chosen:
        from bench.followup_bench import followup_bench

        followup_bench()


def roster_bench():
    from pixoffice.accounts.models import Programme, RosterImport, Student

    for name in ["L2 Géographie", "L2 Histoire", "L2 SED", "L2 Sociologie"]:
        Programme.objects.get_or_create(name=name)
    Student.objects.all().delete()
    RosterImport.objects.all().delete()
    data = roster_csv(ROWS)

    copy_seconds = min(copy_file_baseline(data, 8) for _ in range(RUNS))
    new = roster_import(data, fresh=True)
    same = roster_import(data, fresh=False)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def ratio(seconds: float) -> str:
        return f"{seconds * 1000:8.0f} ms  ({seconds / copy_seconds:5.1f}x COPY)"

    print(f"roster import, {ROWS} rows ({len(data) / 1_048_576:.1f} MB), PostgreSQL")
    print(f"  baseline COPY into a bare table        : {copy_seconds * 1000:8.0f} ms  (  1.0x)")
    for label, measure in [
        (f"all new ({new['created']} created)", new),
        (f"re-import ({same['unchanged']} unchanged)", same),
    ]:
        print(f"  {label}")
        print(f"    preview (read, validate, compare)    : {ratio(measure['preview'])}")
        print(
            f"    import (plan again, write)           : {ratio(measure['apply'])}"
            f"  (Python: {measure['apply_cpu'] * 1000:.0f} ms CPU)"
        )
        print(f"    end to end (preview, store, import)  : {ratio(measure['total'])}")
    print(f"  peak memory of the process             : {peak_mb:8.0f} MB")
    Student.objects.all().delete()


if __name__ == "__main__":
    main()
