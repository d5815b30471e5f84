"""How a batch records each « sent »: committed before the next email is tried, without
PostgreSQL waiting for the disk (the claim is durable: a lost « sent » becomes
« incertain », never a second email)."""

import pytest
from django.db import connection

from pixoffice.mail import sending
from pixoffice.mail.models import Message
from tests.mail.test_outbox import queue


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_batch_sends_with_asynchronous_commits_and_puts_the_setting_back(
    workshop_context, monkeypatch
):
    for n in range(3):
        queue(key=f"commit-{n}", to=f"e{n}@etu.example.fr", ctx=workshop_context)
    seen = []
    as_email = sending.as_email
    monkeypatch.setattr(
        sending, "as_email", lambda m, c: seen.append(synchronous_commit()) or as_email(m, c)
    )

    report = sending.send_pending(limit=10)

    assert report.sent == 3 and seen == ["off", "off", "off"]
    assert synchronous_commit() == "on"  # the connection serves other work afterwards
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_inside_a_transaction_the_setting_is_left_alone(workshop_context, monkeypatch):
    queue(ctx=workshop_context)
    seen = []
    as_email = sending.as_email
    monkeypatch.setattr(
        sending, "as_email", lambda m, c: seen.append(synchronous_commit()) or as_email(m, c)
    )

    assert sending.send_pending(limit=10).sent == 1
    assert seen == ["on"]
