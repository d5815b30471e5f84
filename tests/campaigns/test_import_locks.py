"""Deletions racing imports, with two real PostgreSQL connections (threads, each with
its own connection): whatever the interleaving, the deletion waits and then removes or
unlinks what the import wrote, or the import fails with a clear message; no row ever
points at nothing (an SQL count, whatever the constraints say)."""

import threading

import psycopg
import pytest
from django.db import connection, connections
from django.db.models import deletion

from campaigns import services
from campaigns.models import Campaign, Participation, ResultImport, Share
from campaigns.services import write as import_write
from pixoffice.accounts.models import Student
from pixoffice.core.locking import RowsGone

pytestmark = pytest.mark.django_db(transaction=True)

ORPHANS = """
SELECT
  (SELECT count(*) FROM campaigns_participation p WHERE NOT EXISTS
     (SELECT 1 FROM campaigns_campaign c WHERE c.id = p.campaign_id))
+ (SELECT count(*) FROM campaigns_participation p WHERE p.student_id IS NOT NULL AND NOT EXISTS
     (SELECT 1 FROM accounts_student s WHERE s.id = p.student_id))
+ (SELECT count(*) FROM campaigns_participation p WHERE p.first_import_id IS NOT NULL AND NOT
     EXISTS (SELECT 1 FROM campaigns_resultimport r WHERE r.id = p.first_import_id))
+ (SELECT count(*) FROM campaigns_share s WHERE NOT EXISTS
     (SELECT 1 FROM campaigns_participation p WHERE p.id = s.participation_id))
+ (SELECT count(*) FROM campaigns_share s WHERE s.import_batch_id IS NOT NULL AND NOT EXISTS
     (SELECT 1 FROM campaigns_resultimport r WHERE r.id = s.import_batch_id))
"""


def orphans() -> int:
    with connection.cursor() as cursor:
        cursor.execute(ORPHANS)
        return cursor.fetchone()[0]


def other_connection():
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    )


class Running(threading.Thread):
    """``target`` in a thread with its own database connection; keeps its result or
    error."""

    def __init__(self, target):
        super().__init__(daemon=True)
        self.target, self.result, self.error = target, None, None

    def run(self):
        try:
            self.result = self.target()
        except Exception as error:  # handed to the test
            self.error = error
        finally:
            connections.close_all()

    def waiting(self, seconds=0.5) -> bool:
        """Still running after ``seconds`` (blocked on a lock)."""
        self.join(seconds)
        return self.is_alive()


def stored(sample, campaign) -> ResultImport:
    data = sample("profiles-collection-sup.csv")
    return services.store_result_file(data, name="export.csv", by=None, campaign=campaign)


def pause(monkeypatch, module, name):
    """Make ``module.name`` stop after running, until the returned event is set; the
    other event is set once it has run."""
    original, ran, go_on = getattr(module, name), threading.Event(), threading.Event()

    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        ran.set()
        assert go_on.wait(10)
        return result

    monkeypatch.setattr(module, name, paused)
    return ran, go_on


def test_a_campaign_deletion_waits_for_the_import_then_removes_what_it_wrote(
    roster, campaign, sample, monkeypatch
):
    batch = stored(sample, campaign)
    written, go_on = pause(monkeypatch, import_write, "_write")  # the import, rows written
    importing = Running(lambda: services.apply_result_import(batch.pk))
    importing.start()
    assert written.wait(10)

    deleting = Running(lambda: Campaign.objects.get(pk=campaign.pk).delete())
    deleting.start()
    assert deleting.waiting()  # on the campaign's lock
    go_on.set()
    importing.join(10)
    deleting.join(10)

    assert importing.error is None and importing.result.status == ResultImport.Status.APPLIED
    assert deleting.error is None
    assert (Campaign.objects.count(), Participation.objects.count(), Share.objects.count()) == (
        0,
        0,
        0,
    )
    assert orphans() == 0


def test_an_import_after_a_campaign_deletion_fails_with_a_clear_message(
    roster, campaign, sample, monkeypatch
):
    batch = stored(sample, campaign)
    collected, go_on = pause(monkeypatch, deletion.Collector, "collect")
    deleting = Running(lambda: Campaign.objects.get(pk=campaign.pk).delete())
    deleting.start()
    assert collected.wait(10)  # the deletion holds the campaign, has gathered its rows

    importing = Running(lambda: services.apply_result_import(batch.pk))
    importing.start()
    assert importing.waiting()  # on the campaign's lock
    go_on.set()
    deleting.join(10)
    importing.join(10)

    assert deleting.error is None
    assert isinstance(importing.error, RowsGone)
    assert importing.error.message == f"Campagne n° {campaign.pk} n'existe plus."
    assert Participation.objects.count() == Share.objects.count() == 0
    assert orphans() == 0


def test_a_student_deletion_waits_for_the_import_then_unlinks_its_rows(
    roster, campaign, sample, monkeypatch
):
    batch = stored(sample, campaign)
    student = Student.objects.get(student_number="21093462")
    written, go_on = pause(monkeypatch, import_write, "_write")
    importing = Running(lambda: services.apply_result_import(batch.pk))
    importing.start()
    assert written.wait(10)

    deleting = Running(lambda: Student.objects.get(pk=student.pk).delete())
    deleting.start()
    assert deleting.waiting()  # the import holds the student (key share)
    go_on.set()
    importing.join(10)
    deleting.join(10)

    assert importing.error is None and deleting.error is None
    participation = Participation.objects.get(identifier="21093462")
    assert participation.student_id is None  # back in the unmatched queue, shares kept
    assert participation.shares.count() == 2
    assert orphans() == 0


def test_a_student_deleted_between_matching_and_writing_is_left_unmatched(
    roster, campaign, sample, monkeypatch
):
    batch = stored(sample, campaign)
    student = Student.objects.get(student_number="21093462")
    original, deleted = services.plan_result_import, []

    def plan_then_delete(*args, **kwargs):
        plan = original(*args, **kwargs)
        if not deleted:  # another session deletes the student just after the matching
            with other_connection() as other:
                other.execute("DELETE FROM accounts_student WHERE id = %s", [student.pk])
            deleted.append(student.pk)
        return plan

    monkeypatch.setattr(import_write, "plan_result_import", plan_then_delete)
    result = services.apply_result_import(batch.pk)

    assert result.status == ResultImport.Status.APPLIED
    participation = Participation.objects.get(identifier="21093462")
    assert participation.student_id is None
    assert result.summary["unmatched"] == 11
    assert orphans() == 0


def test_two_imports_of_a_campaign_are_serialised(roster, campaign, sample, monkeypatch):
    first, second = stored(sample, campaign), stored(sample, campaign)
    written, go_on = pause(monkeypatch, import_write, "_write")
    one = Running(lambda: services.apply_result_import(first.pk))
    one.start()
    assert written.wait(10)
    go_on.set()  # the second one's _write does not pause
    two = Running(lambda: services.apply_result_import(second.pk))
    two.start()
    one.join(10)
    two.join(10)
    assert one.error is None and two.error is None
    assert Share.objects.count() == 31
    assert orphans() == 0


def test_recompute_counting_waits_for_the_campaign_lock_and_changes_nothing_without_it(
    roster, campaign, sample, monkeypatch
):
    from pixoffice.core import locking

    services.apply_result_import(stored(sample, campaign).pk)
    before = list(Share.objects.filter(counts=True).values_list("pk", flat=True))
    monkeypatch.setattr(locking, "LOCK_TIMEOUT_MS", 200)
    Campaign.objects.filter(pk=campaign.pk).update(counting_rule=Campaign.CountingRule.BEST)
    with other_connection() as other, other.transaction():
        other.execute("SELECT 1 FROM campaigns_campaign WHERE id = %s FOR UPDATE", [campaign.pk])
        with pytest.raises(locking.RowsLocked):
            services.recompute_counting(campaign)
    assert list(Share.objects.filter(counts=True).values_list("pk", flat=True)) == before
