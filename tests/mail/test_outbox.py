"""The outbox: one row per key, claimed before it is sent, sent at most once."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from pixoffice.mail import sending, services
from pixoffice.mail.models import Message
from tests.factories import StudentFactory

Status = Message.Status


def queue(key="rule:1/student:1/occ:2025-10-20", to="ines@etu.example.fr", ctx=None, **kw):
    return services.queue_message(
        key=key, to=to, template="workshop_promoted", context=ctx or {}, **kw
    )


@pytest.mark.django_db
def test_same_key_twice_is_one_message(workshop_context):
    first, created = queue(ctx=workshop_context)
    again, created_again = queue(ctx=workshop_context, to="autre@etu.example.fr")

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.to == "ines@etu.example.fr"
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_templates_render_in_the_recipients_language(workshop_context):
    fr, _ = queue(key="fr", ctx=workshop_context, language="fr")
    en, _ = queue(key="en", ctx=workshop_context, language="en")

    assert fr.subject.startswith("Une place s'est libérée")
    assert "Préparer la certification Pix" in fr.subject and "\n" not in fr.subject
    assert "Bonjour Inès," in fr.text and '<a href="https://pix.example/ateliers/1">' in fr.html
    assert en.language == "en"


@pytest.mark.django_db
def test_send_pending_sends_once_and_marks_sent(workshop_context):
    queue(ctx=workshop_context)

    first = sending.send_pending(limit=10)
    second = sending.send_pending(limit=10)

    assert (first.sent, second.sent) == (1, 0)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ines@etu.example.fr"]
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    message = Message.objects.get()
    assert (message.status, message.attempts) == (Status.SENT, 1)
    assert message.sent_at is not None


@pytest.mark.django_db
def test_held_messages_wait_for_their_release(workshop_context):
    batch = services.create_batch(label="Rappel campagne")
    for n in range(3):
        queue(key=f"k{n}", to=f"e{n}@etu.example.fr", ctx=workshop_context, batch=batch, hold=True)

    assert sending.send_pending(limit=10).sent == 0
    assert services.release_batch(batch) == 3
    assert sending.send_pending(limit=10).sent == 3
    assert sorted(m.to[0] for m in mail.outbox) == [f"e{n}@etu.example.fr" for n in range(3)]


@pytest.mark.django_db
def test_holding_a_batch_stops_what_is_not_yet_claimed(workshop_context):
    batch = services.create_batch(label="Convocations")
    queue(key="a", ctx=workshop_context, batch=batch)

    assert services.hold_batch(batch) == 1
    assert sending.send_pending(limit=10).sent == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_claimed_row_is_not_claimed_again(workshop_context):
    queue(ctx=workshop_context)

    claimed = sending.claim_due(limit=10)

    assert len(claimed) == 1 and sending.claim_due(limit=10) == []
    assert Message.objects.get().status == Status.SENDING


@pytest.mark.django_db
def test_a_row_left_sending_by_a_dead_worker_becomes_uncertain_never_resent(workshop_context):
    queue(ctx=workshop_context)
    sending.claim_due(limit=10)  # the worker dies here, before the record
    later = timezone.now() + sending.sending_timeout() + dt.timedelta(seconds=1)

    assert sending.mark_stale_uncertain(now=later) == 1
    assert sending.send_pending(limit=10).sent == 0
    assert mail.outbox == []
    message = services.release_uncertain(Message.objects.get(), sent=False)
    assert message.status == Status.PENDING
    assert sending.send_pending(limit=10).sent == 1


@pytest.mark.django_db
def test_release_uncertain_refuses_another_status(workshop_context):
    message, _ = queue(ctx=workshop_context)

    with pytest.raises(services.OutboxError, match="n'est pas « incertain »"):
        services.release_uncertain(message, sent=True)


class BrokenBackend:
    """Accepts the first message, then the server goes away."""

    calls = 0

    def __init__(self, *args, **kwargs):
        self.connection = None

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        BrokenBackend.calls += 1
        if BrokenBackend.calls > 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(messages)
        return 1


@pytest.mark.django_db
def test_a_lost_connection_puts_the_rest_back_untried(workshop_context, settings):
    settings.EMAIL_BACKEND = "tests.mail.test_outbox.BrokenBackend"
    BrokenBackend.calls = 0
    for n in range(4):
        queue(key=f"k{n}", to=f"e{n}@etu.example.fr", ctx=workshop_context)

    report = sending.send_pending(limit=10)

    assert (report.sent, report.retried, report.returned) == (1, 1, 2)
    rows = list(Message.objects.order_by("pk").values_list("status", "attempts"))
    assert rows == [(Status.SENT, 1), (Status.PENDING, 1), (Status.PENDING, 0), (Status.PENDING, 0)]
    retried = Message.objects.get(key="k1")
    assert (
        retried.next_attempt_at > timezone.now() and "SMTPServerDisconnected" in retried.last_error
    )


@pytest.mark.django_db
def test_outbox_page_lists_the_messages_of_followed_students(client, people, workshop_context):
    mine = people["student_a"].student
    other = StudentFactory(programme=people["staff_other"].programmes.get())
    queue(key="mine", to=mine.email or "a@etu.example.fr", ctx=workshop_context, student=mine)
    queue(key="other", to="h@etu.example.fr", ctx=workshop_context, student=other)
    client.force_login(people["staff_other"])

    page = client.get("/equipe/courriels/")

    assert [m.key for m in page.context["page"].object_list] == ["other"]


@pytest.mark.django_db
def test_of_a_dead_workers_claim_only_the_row_in_flight_is_uncertain(workshop_context):
    for n in range(3):
        queue(key=f"k{n}", to=f"e{n}@etu.example.fr", ctx=workshop_context)
    claimed = sending.claim_due(limit=10)  # the worker dies while sending the first
    later = timezone.now() + sending.sending_timeout() + dt.timedelta(seconds=1)

    assert sending.mark_stale_uncertain(now=later) == 1

    statuses = dict(Message.objects.values_list("pk", "status"))
    assert [statuses[m.pk] for m in claimed] == [Status.UNCERTAIN, Status.PENDING, Status.PENDING]
    assert sending.send_pending(limit=10).sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["e1@etu.example.fr", "e2@etu.example.fr"]
