"""Activation cannot be used to tell who is in the roster: same answer, same work,
and a mail failure is logged, never shown (issue 10, § 13)."""

import re
import smtplib

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pixoffice.accounts import tasks
from pixoffice.accounts.models import User
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def without_csrf(response) -> str:
    """The page, less the CSRF token (masked differently in every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


class UnreachableSMTP:
    """An email backend whose server refuses the connection."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "Connection refused")


@pytest.fixture
def known(programmes):
    return StudentFactory(student_number="03201590", email="heloise.legoff@etu.univ-exemple.fr")


@pytest.fixture
def activate(django_capture_on_commit_callbacks, settings):
    from django.test import Client

    def post(identifier):
        client = Client(raise_request_exception=False)  # a 500 is an answer, not a crash
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:activate"), {"identifier": identifier})

    return post


def test_with_smtp_unreachable_known_and_unknown_get_the_same_answer(
    known, activate, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.accounts.test_activation.UnreachableSMTP"

    known_page = activate("03201590")
    unknown_page = activate("99999999")

    assert known_page.status_code == unknown_page.status_code == 200
    assert without_csrf(known_page) == without_csrf(unknown_page)
    assert "Vérifiez votre messagerie universitaire" in known_page.content.decode()
    assert "Envoi du lien d'activation impossible" in caplog.text  # logged, not shown
    assert "SMTPConnectError" in caplog.text


def test_the_request_does_the_same_work_whatever_the_identifier(known, client, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.send_activation, "delay", lambda *args: sent.append(args))
    queries = {}
    for identifier in ("03201590", "99999999"):
        with CaptureQueriesContext(connection) as captured:
            page = client.post(reverse("accounts:activate"), {"identifier": identifier})
        assert page.status_code == 200
        queries[identifier] = [q["sql"] for q in captured.captured_queries]

    # no roster lookup in the request: the two runs send the very same statements
    assert len(queries["03201590"]) == len(queries["99999999"])
    assert not any("accounts_student" in sql for sql in queries["03201590"])
    assert mail.outbox == []
    assert User.objects.count() == 0


def test_the_task_gets_only_the_input_and_sends_after_the_response(
    known, client, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(tasks.send_activation, "delay", lambda *args: sent.append(args))

    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("accounts:activate"), {"identifier": " 03201590 "})
    assert sent == []  # nothing before the commit
    for callback in callbacks:
        callback()

    assert sent == [("03201590", "http://testserver/", "fr")]


def test_broker_down_sends_in_process_and_a_failure_stays_in_the_log(
    known, activate, monkeypatch, settings, caplog
):
    from kombu.exceptions import OperationalError

    def unreachable(*args):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(tasks.send_activation, "delay", unreachable)
    assert activate("03201590").status_code == 200
    assert [m.to for m in mail.outbox] == [["heloise.legoff@etu.univ-exemple.fr"]]

    settings.EMAIL_BACKEND = "tests.accounts.test_activation.UnreachableSMTP"
    assert activate("03201590").status_code == 200
    assert "Envoi du lien d'activation impossible" in caplog.text
