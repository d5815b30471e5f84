"""The COPY encoder of pixoffice.core.bulk: every value PostgreSQL reads back as sent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from pixoffice.core import bulk


def texts(values) -> list[str]:
    return list(bulk._column_texts(tuple(values)))


def test_text_escapes_what_copy_reads_as_separators():
    assert texts(["a\tb", "c\nd", "e\\f", "g\rh", "plain"]) == [
        "a\\tb",
        "c\\nd",
        "e\\\\f",
        "g\\rh",
        "plain",
    ]


def test_none_is_null_in_every_kind_of_column():
    assert texts(["x", None]) == ["x", "\\N"]
    assert texts([1, None]) == ["1", "\\N"]
    assert texts([True, None, False]) == ["t", "\\N", "f"]
    assert texts([None, None]) == ["\\N", "\\N"]


def test_a_string_that_looks_like_null_or_the_end_marker_stays_text():
    assert texts(["\\N", "\\."]) == ["\\\\N", "\\\\."]


def test_mixed_and_other_types_go_value_by_value():
    when = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)
    assert texts([1, "deux", 3.5, Decimal("1.50"), when]) == [
        "1",
        "deux",
        "3.5",
        "1.50",
        "2026-03-29T01:30:00+00:00",
    ]
    assert texts([{"1.1": [2, 17]}, ["a\tb"]]) == ['{"1.1":[2,17]}', '["a\\\\tb"]']


@pytest.mark.django_db
def test_copy_round_trip_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    rows = [
        ("tab\there", 1, True, dt.datetime(2026, 10, 25, 0, 59, tzinfo=dt.UTC), '{"k": "v"}'),
        ("back\\slash\nline", None, False, None, None),
        ("\\N", 3, None, dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC), "[1, 2]"),
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE copy_check (t text, i int, b bool, at timestamptz, j json)"
        )
        columns = list(zip(*rows, strict=True))
        bulk._copy_into(cursor.cursor, "copy_check", ["t", "i", "b", "at", "j"], columns)
        cursor.execute("SELECT t, i, b, at, j::text FROM copy_check ORDER BY i NULLS FIRST")
        back = cursor.fetchall()

    assert back == [rows[1], rows[0], rows[2]]
