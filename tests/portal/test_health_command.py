"""``manage.py health --json``: /healthz's parts, and what waits for a person (failed
or uncertain mail, mail nobody sends, imports stuck « en cours »), with Nagios' exit
codes; a constant number of queries whatever the tables hold."""

import datetime as dt
import json

import pytest
from django.db import DatabaseError
from django.utils import timezone

from pixoffice.accounts.models import RosterImport
from pixoffice.mail.models import Message

pytestmark = pytest.mark.django_db

KINDS = ["accounts.RosterImport", "campaigns.ResultImport", "certification.ResultsImport"]


def message(n, status, **fields):
    return Message.objects.create(
        key=f"test:{status}:{n}",
        kind="test",
        to=f"e{n}@etu.example.fr",
        subject="s",
        text="t",
        status=status,
        **fields,
    )


def roster_batch(status, *, age, claimed=None):
    now = timezone.now()
    return RosterImport.objects.create(
        original_name="liste.csv",
        sha256="0" * 64,
        status=status,
        file="rosters/liste.csv",
        uploaded_at=now - age,
        claimed_at=None if claimed is None else now - claimed,
    )


def run(command):
    code, out, _err = command("health", "--json")
    return code, json.loads(out)


def test_all_clear_is_ok_and_exits_0(command):
    code, result = run(command)

    assert code == 0
    assert result == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "eager",
        "outbox": {"failed_last_7_days": 0, "uncertain": 0, "overdue": 0},
        "imports": {
            "stuck": dict.fromkeys(KINDS, 0),
            "failed_last_7_days": dict.fromkeys(KINDS, 0),
        },
    }


def test_mail_waiting_for_a_person_asks_for_attention(command):
    now = timezone.now()
    message(1, Message.Status.FAILED)
    message(2, Message.Status.FAILED, created_at=now - dt.timedelta(days=30))  # old news
    message(3, Message.Status.UNCERTAIN)
    message(4, Message.Status.PENDING, next_attempt_at=now - dt.timedelta(hours=1))  # nobody sends
    message(5, Message.Status.PENDING)  # due now: the next run sends it
    message(6, Message.Status.SENT)

    code, result = run(command)

    assert code == 1
    assert result["status"] == "attention"
    assert result["outbox"] == {"failed_last_7_days": 1, "uncertain": 1, "overdue": 1}


def test_an_import_stuck_en_cours_asks_for_attention(command, settings):
    settings.IMPORT_STALE_AFTER = 15 * 60
    roster_batch(RosterImport.Status.QUEUED, age=dt.timedelta(hours=2))  # never taken back
    roster_batch(RosterImport.Status.QUEUED, age=dt.timedelta(hours=2), claimed=dt.timedelta(0))
    roster_batch(RosterImport.Status.QUEUED, age=dt.timedelta(minutes=1))  # running
    roster_batch(RosterImport.Status.FAILED, age=dt.timedelta(hours=1))

    code, result = run(command)

    assert code == 1
    assert result["status"] == "attention"
    assert result["imports"]["stuck"]["accounts.RosterImport"] == 1
    assert result["imports"]["failed_last_7_days"]["accounts.RosterImport"] == 1


def test_a_failed_import_alone_is_for_staff_not_for_monitoring(command):
    roster_batch(RosterImport.Status.FAILED, age=dt.timedelta(hours=1))

    code, result = run(command)

    assert (code, result["status"]) == (0, "ok")


@pytest.mark.parametrize("rows", [1, 3])
def test_the_report_counts_with_a_constant_number_of_queries(
    command, django_assert_num_queries, rows
):
    for n in range(rows):
        message(n, Message.Status.UNCERTAIN)
        roster_batch(RosterImport.Status.QUEUED, age=dt.timedelta(hours=2))
    # SELECT 1, three outbox counts, two counts per kind of import
    with django_assert_num_queries(1 + 3 + 2 * len(KINDS)):
        _code, result = run(command)
    assert result["outbox"]["uncertain"] == rows


def test_without_database_it_says_down_and_exits_2(command, monkeypatch):
    from pixoffice import health

    class Broken:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connection", Broken())
    code, result = run(command)

    assert code == 2
    assert result == {"status": "down", "database": "unavailable", "cache": "ok", "broker": "eager"}


def test_text_output_names_each_part(command):
    code, out, _err = command("health")

    assert code == 0
    assert out.splitlines()[0] == "État : ok"
    assert "  outbox.uncertain : 0" in out.splitlines()
