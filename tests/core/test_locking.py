"""The row-lock helper: sorted keys, only in a transaction, a timeout, and a check that
every row asked for was locked."""

import psycopg
import pytest
from django.db import connection, transaction

from pixoffice.accounts.models import Programme
from pixoffice.core import locking
from pixoffice.core.locking import RowsGone, RowsLocked, lock_rows


def other_connection():
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    )


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError, match="transaction"):
        lock_rows(Programme, [1])


@pytest.mark.django_db
def test_it_returns_the_sorted_distinct_keys_it_locked():
    a, b = Programme.objects.create(name="A"), Programme.objects.create(name="B")
    with transaction.atomic():
        assert lock_rows(Programme, [b.pk, a.pk, b.pk]) == sorted([a.pk, b.pk])
        assert lock_rows(Programme, []) == []


@pytest.mark.django_db
def test_a_missing_row_is_a_typed_french_error():
    a = Programme.objects.create(name="A")
    with transaction.atomic(), pytest.raises(RowsGone) as gone:
        lock_rows(Programme, [a.pk, a.pk + 1000])
    assert gone.value.missing == [a.pk + 1000]
    assert gone.value.message == f"Formation n° {a.pk + 1000} n'existe plus."


@pytest.mark.django_db(transaction=True)
def test_a_row_held_elsewhere_gives_up_after_the_timeout_with_a_french_message(monkeypatch):
    monkeypatch.setattr(locking, "LOCK_TIMEOUT_MS", 100)
    a = Programme.objects.create(name="A")
    with other_connection() as other, other.transaction():
        other.execute("SELECT 1 FROM accounts_programme WHERE id = %s FOR UPDATE", [a.pk])
        with pytest.raises(RowsLocked) as locked, transaction.atomic():
            lock_rows(Programme, [a.pk])
    assert locked.value.message == (
        "Ces données sont en cours de modification ; réessayez dans un instant."
    )


@pytest.mark.django_db(transaction=True)
def test_the_timeout_is_only_for_the_lock():
    a = Programme.objects.create(name="A")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout')")
        before = cursor.fetchone()[0]
        lock_rows(Programme, [a.pk])
        cursor.execute("SELECT current_setting('lock_timeout')")
        assert cursor.fetchone()[0] == before
