"""Sending the outbox: claim, send over one SMTP connection, record the answer.

1. **Claim** (one short transaction): due ``pending`` rows are locked with
   ``FOR UPDATE SKIP LOCKED`` and set ``sending``; a second worker skips them.
2. **Send** each over one connection, outside any transaction.
3. **Record**: ``sent``; a transient error (the server gone, refused, a 4xx answer)
   puts the row back to ``pending`` with a later ``next_attempt_at``; a permanent one
   (5xx) marks it ``failed`` with the server's answer.

Rows still ``sending`` after ``MAIL_SENDING_TIMEOUT`` were claimed by a worker that
died. The one it was sending may or may not have gone: exactly once means never twice,
so it becomes ``uncertain`` and waits for a person (never resent alone); the rows it
had claimed after that one were never tried and go back to ``pending``.
"""

import contextlib
import logging
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.utils import timezone

from .models import Message

Status = Message.Status
logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_SECONDS = 60  # 1, 2, 4 … minutes, at most BACKOFF_MAX
BACKOFF_MAX = 3600


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    returned: int = 0  # claimed but not tried (the connection went first)
    uncertain: int = 0
    errors: list[str] = field(default_factory=list)


def sending_timeout() -> timedelta:
    return timedelta(seconds=getattr(settings, "MAIL_SENDING_TIMEOUT", 600))


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX))


def mark_stale_uncertain(*, now=None) -> int:
    """Take back what a dead worker had claimed. A claim's rows are sent one by one in
    claim order and each is recorded before the next is tried, so of a stale claim
    (one ``claimed_at``) only the first row still ``sending`` may have left: it becomes
    ``uncertain``; the ones after it were never tried and go back to ``pending``.
    Returns how many became uncertain."""
    now = now or timezone.now()
    stale = list(
        Message.objects.filter(status=Status.SENDING, claimed_at__lt=now - sending_timeout())
        .order_by("claimed_at", "next_attempt_at", "pk")
        .values_list("pk", "claimed_at")
    )
    in_flight, untried, seen = [], [], set()
    for pk, claimed_at in stale:
        (untried if claimed_at in seen else in_flight).append(pk)
        seen.add(claimed_at)
    Message.objects.filter(pk__in=untried, status=Status.SENDING).update(status=Status.PENDING)
    return Message.objects.filter(pk__in=in_flight, status=Status.SENDING).update(
        status=Status.UNCERTAIN
    )


def claim_due(*, limit: int, now=None) -> list[Message]:
    now = now or timezone.now()
    with transaction.atomic():
        messages = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .prefetch_related("attachments")[:limit]
        )
        Message.objects.filter(pk__in=[m.pk for m in messages]).update(
            status=Status.SENDING, claimed_at=now
        )
    return messages


def as_email(message: Message, connection) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        connection=connection,
        headers={"X-Pixoffice-Message": message.key},
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for attachment in message.attachments.all():  # prefetched by claim_due
        email.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return email


def smtp_code(error: Exception) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return min(codes) if codes else None
    return getattr(error, "smtp_code", None)


def describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{to}: {code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
            for to, (code, text) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{error.smtp_code} {text}"
    return f"{type(error).__name__}: {error}"


def is_connection_error(error: Exception) -> bool:
    # SMTPException is an OSError too: only a lost or refused connection counts here
    return isinstance(error, smtplib.SMTPServerDisconnected) or (
        isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)
    )


def record(message: Message, *, error: Exception | None, now, report: SendReport) -> None:
    attempts = message.attempts + 1
    if error is None:
        # the hot path (one statement per email, before the next is tried): plain SQL,
        # a third of the cost of a queryset update
        table = connection.ops.quote_name(Message._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = %s, sent_at = %s, attempts = %s, last_error = '' "  # noqa: S608
                "WHERE id = %s AND status = %s",
                [Status.SENT, now, attempts, message.pk, Status.SENDING],
            )
        report.sent += 1
        return
    else:
        code = smtp_code(error)
        text = describe(error)
        report.errors.append(f"{message.to}: {text}")
        if (code is not None and code >= 500) or attempts >= MAX_ATTEMPTS:
            fields = {"status": Status.FAILED, "attempts": attempts, "last_error": text}
            report.failed += 1
        else:
            fields = {
                "status": Status.PENDING,
                "attempts": attempts,
                "last_error": text,
                "next_attempt_at": now + backoff(attempts),
            }
            report.retried += 1
    # only the claimed row: a person's change in between is not overwritten
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(**fields)


@contextlib.contextmanager
def _records_without_waiting_for_the_disk():
    """Each « sent » is committed before the next email is tried; PostgreSQL need not
    wait for the disk for it (``synchronous_commit = off``, this connection only, while
    sending). A crash can lose the last fraction of a second of « sent » records: those
    rows stay « sending », committed durably by the claim, and become « incertain » for
    staff — never sent again on their own. So exactly-once holds, and a batch stops
    paying one disk flush per email (``bench/run.py reminders``: 0.49× → 0.61× Django's
    ``send_messages``)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def send_pending(*, limit: int = 500) -> SendReport:
    """Send up to ``limit`` due messages over one connection."""
    report = SendReport(uncertain=mark_stale_uncertain())
    messages = claim_due(limit=limit)
    if not messages:
        return report
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:  # refused, unreachable: all go back, tried once
        logger.warning("Serveur de courriel injoignable : %s", error)
        for message in messages:
            record(message, error=error, now=timezone.now(), report=report)
        return report
    try:
        with _records_without_waiting_for_the_disk():
            for index, message in enumerate(messages):
                try:
                    connection.send_messages([as_email(message, connection)])
                except Exception as error:
                    record(message, error=error, now=timezone.now(), report=report)
                    if is_connection_error(error):
                        # the connection is gone: the others were not tried
                        untried = [m.pk for m in messages[index + 1 :]]
                        report.returned += Message.objects.filter(
                            pk__in=untried, status=Status.SENDING
                        ).update(status=Status.PENDING)
                        break
                    reset_after_refusal(connection)
                else:
                    record(message, error=None, now=timezone.now(), report=report)
    finally:
        with contextlib.suppress(Exception):  # closing a dead connection may raise
            connection.close()
    return report


def send_now(message: Message) -> bool:
    """Send one queued message at once (an activation link: someone is waiting for
    it), with the same claim and record as ``send_pending``. A message already
    claimed, sent or held is left alone (False). A sending error is recorded (the row
    waits for its next attempt, or has failed) and raised."""
    claimed = Message.objects.filter(pk=message.pk, status=Status.PENDING).update(
        status=Status.SENDING, claimed_at=timezone.now()
    )
    if not claimed:
        return False
    message.refresh_from_db(fields=["attempts", "status"])
    connection = get_connection()
    report = SendReport()
    try:
        connection.send_messages([as_email(message, connection)])
    except Exception as error:
        record(message, error=error, now=timezone.now(), report=report)
        raise
    record(message, error=None, now=timezone.now(), report=report)
    return True


def reset_after_refusal(connection) -> None:
    """After a refused recipient or data, start the next message from a clean state."""
    smtp = getattr(connection, "connection", None)
    if smtp is not None:
        with contextlib.suppress(smtplib.SMTPException):
            smtp.rset()
