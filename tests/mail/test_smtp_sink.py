"""The outbox against a real SMTP server on loopback (aiosmtpd)."""

import pytest
from django.utils import timezone

from pixoffice.mail import sending, services
from pixoffice.mail.models import Message
from tests.mail.conftest import free_port

Status = Message.Status


@pytest.fixture
def smtp_settings(settings, smtp_sink):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return settings


def queue(key, to, ctx):
    return services.queue_message(key=key, to=to, template="workshop_promoted", context=ctx)


@pytest.mark.django_db
def test_one_connection_sends_each_once_and_records_the_answers(
    smtp_settings, smtp_sink, workshop_context
):
    for key, to in [("a", "ok1@x.fr"), ("b", "perm@x.fr"), ("c", "temp@x.fr"), ("d", "ok2@x.fr")]:
        queue(key, to, workshop_context)

    report = sending.send_pending(limit=10)
    sending.send_pending(limit=10)  # nothing due again: the 451 waits for its backoff

    assert (report.sent, report.failed, report.retried) == (2, 1, 1)
    assert sorted(rcpt[0] for rcpt, _ in smtp_sink.received) == ["ok1@x.fr", "ok2@x.fr"]
    failed = Message.objects.get(key="b")
    assert failed.status == Status.FAILED and "550" in failed.last_error
    assert "Boîte inconnue" in failed.last_error
    retried = Message.objects.get(key="c")
    assert retried.status == Status.PENDING and "451" in retried.last_error
    assert retried.next_attempt_at > timezone.now()


@pytest.mark.django_db
def test_a_refused_connection_keeps_every_message_pending(settings, workshop_context):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 2
    queue("a", "ok@x.fr", workshop_context)

    report = sending.send_pending(limit=10)

    message = Message.objects.get()
    assert report.retried == 1 and message.status == Status.PENDING
    assert message.attempts == 1 and "ConnectionRefusedError" in message.last_error
