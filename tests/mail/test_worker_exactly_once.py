"""Exactly once with real parts: a Celery worker on Redis, an SMTP sink (aiosmtpd).
The reminder job runs twice, the sending worker is killed mid-batch and another takes
over: every targeted student receives exactly one email, and none of the others."""

import datetime as dt
import email
import os
import time
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from campaigns.models import Participation
from pixoffice.celery import app
from pixoffice.mail import services as mail_services
from pixoffice.mail.models import Message
from pixoffice.reminders.models import ReminderRule
from tests.factories import AcademicYearFactory, CampaignFactory, ProgrammeFactory, StudentFactory
from tests.workers import start_worker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_sink():
    """Accepts everything, 0.1 s per message, keeps each message's outbox key."""
    import asyncio

    from aiosmtpd.controller import Controller

    from tests.mail.conftest import free_port

    class Handler:
        received: list = []

        async def handle_DATA(self, server, session, envelope):
            await asyncio.sleep(0.1)
            parsed = email.message_from_bytes(envelope.content)
            self.received.append((envelope.rcpt_tos[0], parsed["X-Pixoffice-Message"]))
            return "250 OK"

    handler = Handler()
    handler.received = []
    handler.port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


def start_mail_worker(queue, tmp_path, port):
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "MAIL_SENDING_TIMEOUT": "1",
    }
    return start_worker(queue, tmp_path, env=smtp)


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_reminders_twice_and_a_killed_worker_send_each_email_once(slow_sink, tmp_path):
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and PostgreSQL")
    year = AcademicYearFactory()
    campaign = CampaignFactory(academic_year=year, deadline=timezone.now() + dt.timedelta(days=3))
    programme = ProgrammeFactory()
    campaign.programmes.set([programme])
    targeted = [
        StudentFactory(programme=programme, academic_year=year, email=f"vise{n}@etu.example.fr")
        for n in range(30)
    ]
    for n in range(5):  # joined: not targeted
        joined = StudentFactory(
            programme=programme, academic_year=year, email=f"ok{n}@etu.example.fr"
        )
        Participation.objects.create(
            campaign=campaign, identifier=f"j{n}", student=joined, last_name="X", first_name="Y"
        )
    ReminderRule.objects.create(name="J-7", campaign=campaign, days_before=7, audience="not_joined")
    expected = {s.email for s in targeted}
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    queue = f"pixoffice-test-{uuid.uuid4().hex[:8]}"
    first = start_mail_worker(queue, tmp_path, slow_sink.port)
    second = None
    try:
        app.send_task("reminders.run_due", queue=queue)
        app.send_task("reminders.run_due", queue=queue)
        assert wait_for(lambda: Message.objects.count() == len(expected))
        app.send_task("mail.send_pending", kwargs={"limit": 500}, queue=queue)
        assert wait_for(lambda: len(slow_sink.received) >= 8)
        first.kill()  # mid-batch, without a word
        first.wait(timeout=10)
        assert Message.objects.filter(status="sending").exists()

        second = start_mail_worker(queue, tmp_path, slow_sink.port)
        time.sleep(1.5)  # past MAIL_SENDING_TIMEOUT: the dead worker's claim is stale
        app.send_task("reminders.run_due", queue=queue)  # a third run: nothing new
        for _ in range(2):
            app.send_task("mail.send_pending", kwargs={"limit": 500}, queue=queue)
        assert wait_for(
            lambda: not Message.objects.filter(status__in=["pending", "sending"]).exists()
        )
        # at most the one in flight waits for a person, who checks the mailbox
        uncertain = list(Message.objects.filter(status="uncertain"))
        assert len(uncertain) <= 1
        keys = {key for _to, key in slow_sink.received}
        for message in uncertain:
            mail_services.release_uncertain(message, sent=message.key in keys)
        app.send_task("mail.send_pending", kwargs={"limit": 500}, queue=queue)
        assert wait_for(lambda: Message.objects.filter(status="sent").count() == len(expected))
    finally:
        app.conf.task_always_eager = eager
        for process in (first, second):
            if process and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)

    received = [to for to, _key in slow_sink.received]
    assert sorted(received) == sorted(expected)  # each once, nobody else
    assert not any(to.startswith("ok") for to in received)
