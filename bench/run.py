"""Benchmarks, printed as ratios to a baseline measured in the same run.

    make bench            (DATABASE_URL must point at PostgreSQL)

roster import: plan + apply a generated roster of ROWS students (new, then again
unchanged), against PostgreSQL ``COPY`` of the same file into a bare table.
"""

import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROWS = int(os.environ.get("BENCH_ROWS", "20000"))


def setup_django():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench: DATABASE_URL must point at PostgreSQL (make bench sets it)")
    base, _, _ = url.rpartition("/")
    os.environ["DATABASE_URL"] = f"{base}/pixoffice_bench"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixoffice.settings.base")
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname='pixoffice_bench'").fetchone():
            conn.execute("create database pixoffice_bench")
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


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def copy_baseline(data: bytes) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("drop table if exists bench_roster")
        cursor.execute(
            "create unlogged table bench_roster (number text, last_name text, first_name text,"
            " email text, programme text, grp text, birth text, extra text)"
        )
    raw = connection.connection

    def copy():
        with (
            raw.cursor() as cur,
            cur.copy(
                "copy bench_roster from stdin with (format csv, delimiter ';', header true)"
            ) as copy,
        ):
            copy.write(io.BytesIO(data).read().decode("utf-8-sig").encode())
        raw.commit()

    seconds, _ = timed(copy)
    with connection.cursor() as cursor:
        cursor.execute("drop table bench_roster")
    return seconds


def roster_import(data: bytes) -> float:
    from pixoffice.accounts import services

    def run():
        plan = services.plan_roster_import(data, by=None)
        assert not plan.errors, plan.errors[:3]
        batch = services.store_roster_file(
            data, name="bench.csv", by=None, mapping=plan.mapping, academic_year=None
        )
        return services.apply_roster_import(batch.pk).summary

    seconds, summary = timed(run)
    return seconds, summary


def main():
    setup_django()
    from pixoffice.accounts.models import Programme, RosterImport, Student

    for name in ["L2 Géographie", "L2 Histoire", "L2 SED", "L2 Sociologie"]:
        Programme.objects.get_or_create(name=name)
    Student.objects.all().delete()
    RosterImport.objects.all().delete()
    data = roster_csv(ROWS)

    copy_seconds = min(copy_baseline(data) for _ in range(3))
    new_seconds, new = roster_import(data)
    same_seconds, same = roster_import(data)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"roster import, {ROWS} rows ({len(data) / 1_048_576:.1f} MB), PostgreSQL")
    print(f"  baseline COPY into a bare table : {copy_seconds * 1000:8.0f} ms  (1.0x)")
    print(
        f"  import, all new ({new['created']} created)   : {new_seconds * 1000:8.0f} ms  "
        f"({new_seconds / copy_seconds:.1f}x COPY)"
    )
    print(
        f"  re-import, {same['unchanged']} unchanged      : {same_seconds * 1000:8.0f} ms  "
        f"({same_seconds / copy_seconds:.1f}x COPY)"
    )
    print(f"  peak memory of the process      : {peak_mb:8.0f} MB")
    Student.objects.all().delete()


if __name__ == "__main__":
    main()
