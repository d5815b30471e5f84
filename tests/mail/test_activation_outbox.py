"""The account activation mail goes through the outbox: one message per (account,
request), so a redelivered task sends nothing twice and a new request a fresh link;
an SMTP failure leaves it pending for the next attempt, never lost."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from pixoffice.accounts import tasks
from pixoffice.mail import sending
from pixoffice.mail.models import Message
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db
EMAIL = "heloise.legoff@etu.univ-exemple.fr"


class UnreachableSMTP:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "Connection refused")


@pytest.fixture
def known(programmes):
    return StudentFactory(student_number="03201590", email=EMAIL)


def request_link(task_id=None, *, identifier="03201590", language="fr"):
    """Run the task as a worker would (``task_id``: a redelivery keeps it)."""
    return tasks.send_activation.apply(
        args=(identifier, "https://pix.example/", language), task_id=task_id
    ).get()


def link_in(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("https://"))


def test_the_link_is_an_outbox_message_sent_at_once(known):
    assert request_link("task-1") is True

    message = Message.objects.get()
    known.refresh_from_db()  # its account was made on this first request
    assert message.kind == "activation" and message.status == Message.Status.SENT
    assert message.key == f"accounts:activation:user:{known.user_id}:request:task-1"
    assert message.to == EMAIL and message.student is None and message.attempts == 1
    assert message.subject == "[pixoffice] Activez votre compte"
    (email,) = mail.outbox
    assert email.to == [EMAIL] and email.extra_headers["X-Pixoffice-Message"] == message.key
    assert link_in(email.body).startswith("https://pix.example/")
    assert link_in(email.body) == link_in(message.text)


def test_a_redelivered_task_sends_nothing_twice_a_new_request_a_fresh_link(known):
    request_link("task-1")
    assert request_link("task-1") is False  # the same request again (a redelivery)
    assert len(mail.outbox) == 1 and Message.objects.count() == 1

    request_link("task-2")  # the student asks again

    assert Message.objects.count() == 2 and len(mail.outbox) == 2
    assert all(m.status == Message.Status.SENT for m in Message.objects.all())


def test_in_the_web_process_each_call_is_its_own_request(known):
    tasks.send_activation("03201590", "https://pix.example/", "fr")  # broker down: no id
    tasks.send_activation("03201590", "https://pix.example/", "fr")

    keys = list(Message.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 2 and len(mail.outbox) == 2


def test_an_unknown_identifier_queues_nothing(known):
    assert request_link("task-1", identifier="99999999") is False
    assert not Message.objects.exists() and mail.outbox == []


def test_in_english_for_a_student_who_asked_in_english(known):
    request_link("task-1", language="en")
    assert Message.objects.get().subject == "[pixoffice] Activate your account"
    assert mail.outbox[0].subject == "[pixoffice] Activate your account"


def test_smtp_down_the_message_waits_and_leaves_once_when_it_is_back(known, settings, caplog):
    settings.EMAIL_BACKEND = "tests.mail.test_activation_outbox.UnreachableSMTP"

    assert request_link("task-1") is False  # logged by the task, never raised

    message = Message.objects.get()
    assert message.status == Message.Status.PENDING and message.attempts == 1
    assert message.last_error == "421 Connection refused"
    assert message.next_attempt_at > timezone.now()
    assert "Envoi du lien d'activation impossible" in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sending.send_pending().sent == 0  # not due yet: the backoff
    Message.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert sending.send_pending().sent == 1
    assert sending.send_pending().sent == 0
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 2


def test_staff_never_see_the_link_admins_do(known, client, people):
    """The link sets the password: staff following the student's programme must not
    read it in the outbox (the message has no student), admins may."""
    from tests.factories import AdminFactory

    request_link("task-1")
    message = Message.objects.get()
    client.force_login(people["staff"])  # follows every programme

    assert client.get(f"/equipe/courriels/{message.pk}/").status_code == 404
    assert EMAIL not in client.get("/equipe/courriels/", {"q": "legoff"}).content.decode()

    client.force_login(AdminFactory())
    assert client.get(f"/equipe/courriels/{message.pk}/").status_code == 200
