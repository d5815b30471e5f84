"""Putting messages in the outbox, holding and releasing bulk sends.

Exactly once: a message exists once per ``key`` (the unique constraint decides, so two
runs of the same job queue it once) and is sent at most once (``sending.py`` claims it
first). A message a dead worker had claimed becomes « incertain » and is never sent
again by itself: a person releases it (``release_uncertain``) or marks it sent.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Attachment, Batch, Message
from .rendering import render_email

Status = Message.Status


class OutboxError(ValueError):
    """A refused change, with a French message saying why."""


def queue_message(
    *,
    key: str,
    to: str,
    template: str,
    context: dict,
    language: str = "fr",
    student=None,
    batch: Batch | None = None,
    hold: bool = False,
    attachments=(),
) -> tuple[Message, bool]:
    """Render ``template`` and add the message, unless one with ``key`` exists: then the
    existing row is returned untouched (``created`` False), whatever its status.
    ``attachments``: ``(filename, content bytes, mimetype)`` triples, kept with it."""
    existing = Message.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    rendered = render_email(kind=template, context=context, language=language)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                key=key,
                kind=template,
                language=language,
                to=to,
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                status=Status.HELD if hold else Status.PENDING,
                student=student,
                batch=batch,
            )
            Attachment.objects.bulk_create(
                Attachment(message=message, filename=name, content=content, mimetype=mimetype)
                for name, content, mimetype in attachments
            )
    except IntegrityError:
        # queued by a concurrent run between our look-up and our insert
        return Message.objects.get(key=key), False
    return message, True


def create_batch(*, label: str, by=None) -> Batch:
    return Batch.objects.create(label=label, created_by=by)


def hold_batch(batch: Batch) -> int:
    """Hold the messages of ``batch`` not yet claimed; returns how many."""
    return batch.messages.filter(status=Status.PENDING).update(status=Status.HELD)


def release_batch(batch: Batch) -> int:
    """Let the held messages of ``batch`` go; returns how many."""
    return batch.messages.filter(status=Status.HELD).update(
        status=Status.PENDING, next_attempt_at=timezone.now()
    )


def release_uncertain(message: Message, *, sent: bool) -> Message:
    """A person's decision on a message a worker claimed and never reported on: it was
    received after all (``sent``), or it was not and may go again."""
    updated = Message.objects.filter(pk=message.pk, status=Status.UNCERTAIN).update(
        **(
            {"status": Status.SENT, "sent_at": timezone.now()}
            if sent
            else {"status": Status.PENDING, "next_attempt_at": timezone.now()}
        )
    )
    if not updated:
        raise OutboxError(
            _("Le courriel n° %(pk)s n'est pas « incertain » : rien n'a été changé.")
            % {"pk": message.pk}
        )
    message.refresh_from_db()
    return message


def preview_batch(batch: Batch, *, sample_size: int = 1) -> dict:
    """What a bulk send holds: its count per status, a sample and its recipients (one
    query)."""
    recipients = list(batch.messages.order_by("pk").select_related("student"))
    counts = dict.fromkeys(Status.values, 0)
    for message in recipients:
        counts[message.status] += 1
    return {
        "count": len(recipients),
        "counts": counts,
        "sample": recipients[:sample_size],
        "recipients": recipients,
    }
