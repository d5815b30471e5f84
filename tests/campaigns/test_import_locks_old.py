"""Participations and shares point at their campaign, student and participation without
database constraints: the import holds the locks instead, and deletions wait for it."""

import psycopg
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from campaigns import services
from campaigns.models import Campaign, Participation, Share
from pixoffice.accounts.locking import hold_keys
from pixoffice.accounts.models import Student

pytestmark = pytest.mark.django_db


def imported(sample, campaign):
    data = sample("profiles-collection-sup.csv")
    batch = services.store_result_file(data, name="export.csv", by=None, campaign=campaign)
    return services.apply_result_import(batch.pk)


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
def test_a_student_held_by_an_import_cannot_be_deleted_until_it_commits(roster):
    student = Student.objects.get(student_number="21093462")
    with transaction.atomic():
        hold_keys(Student, [student.pk])
        with other_connection() as other:
            other.execute("SET lock_timeout = '200ms'")
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute("DELETE FROM accounts_student WHERE id = %s", [student.pk])
            # a key-share lock still lets the roster import update the student
            other.execute(
                "UPDATE accounts_student SET first_name = 'X' WHERE id = %s", [student.pk]
            )
    with other_connection() as other:
        other.execute("SET lock_timeout = '200ms'")
        other.execute("UPDATE accounts_student SET first_name = 'Y' WHERE id = %s", [student.pk])


def test_deleting_a_student_locks_it_first_then_unlinks_their_participations(
    roster, campaign, sample
):
    imported(sample, campaign)
    student = Student.objects.get(student_number="21093462")
    participation = Participation.objects.get(student=student)

    with CaptureQueriesContext(connection) as queries:
        student.delete()

    sql = [query["sql"] for query in queries.captured_queries]
    lock = next(i for i, q in enumerate(sql) if "FOR UPDATE" in q and "accounts_student" in q)
    unlink = next(i for i, q in enumerate(sql) if q.startswith("UPDATE") and "participation" in q)
    assert lock < unlink
    participation.refresh_from_db()
    assert participation.student_id is None
    assert participation.shares.exists()


def test_deleting_a_campaign_locks_it_first_then_deletes_its_rows(roster, campaign, sample):
    imported(sample, campaign)
    assert Share.objects.filter(participation__campaign=campaign).count() == 31

    with CaptureQueriesContext(connection) as queries:
        Campaign.objects.filter(pk=campaign.pk).delete()  # the admin's bulk action

    sql = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SAVEPOINT")]
    assert "FOR UPDATE" in sql[0]
    assert not Participation.objects.exists() and not Share.objects.exists()


def test_linking_an_unmatched_row_holds_the_student(roster, campaign, sample, people):
    imported(sample, campaign)
    row = Participation.objects.filter(campaign=campaign, student=None).first()
    student = Student.objects.exclude(participations__campaign=campaign).first()

    with CaptureQueriesContext(connection) as queries:
        services.link_participation(row, student, by=people["staff"])

    assert any("FOR KEY SHARE" in query["sql"] for query in queries.captured_queries)
