"""The student home's whole page, rendered once a minute per browser (issue 15, point
2): a cached visit renders nothing and reads no more queries, the page's forms carry a
CSRF token of the browser's own cookie, waiting messages are shown, and a change the
home shows is seen at once."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from tests.grading.published import build

pytestmark = pytest.mark.django_db
HOME = "portal:student_home"


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def test_a_second_visit_serves_the_page_rendered_with_the_same_queries(
    client, people, programmes, django_assert_num_queries
):
    build(people, programmes)
    client.force_login(people["student_a"])
    client.get(reverse(HOME))  # the browser gets its CSRF cookie: nothing cached before
    first = client.get(reverse(HOME))

    with django_assert_num_queries(1):  # the session (Redis in production), nothing else
        second = client.get(reverse(HOME))

    assert first.templates and second.templates == []  # nothing rendered
    assert second.status_code == 200 and second.content == first.content
    assert second.cookies["csrftoken"].value == client.cookies["csrftoken"].value


def test_another_browser_of_the_same_student_gets_a_token_of_its_own_cookie(people, programmes):
    from django.middleware.csrf import _unmask_cipher_token

    build(people, programmes)
    one, two = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = []
    for browser in (one, two):
        browser.force_login(people["student_a"])
        browser.get(reverse(HOME))
        browser.get(reverse(HOME))
        pages.append(browser.get(reverse(HOME)).content.decode())

    for browser, html in zip((one, two), pages, strict=True):
        assert _unmask_cipher_token(_token(html)) == browser.cookies["csrftoken"].value
    logout = two.post(reverse("account_logout"), {"csrfmiddlewaretoken": _token(pages[1])})
    assert logout.status_code == 302


def test_a_waiting_message_is_shown_not_a_cached_page(client, people, programmes):
    build(people, programmes)
    client.force_login(people["student_a"])
    client.get(reverse(HOME))
    client.get(reverse(HOME))  # cached now
    storage = CookieStorage(HttpRequest())
    client.cookies["messages"] = storage._encode(
        [Message(constants.SUCCESS, "Votre demande est enregistrée.")]
    )

    html = client.get(reverse(HOME)).content.decode()

    assert "Votre demande est enregistrée." in html
    assert "Votre demande est enregistrée." not in client.get(reverse(HOME)).content.decode()


def test_a_publication_shows_at_once_on_the_cached_page(
    client, people, programmes, django_capture_on_commit_callbacks
):
    built = build(people, programmes)
    client.force_login(people["student_b"])
    client.get(reverse(HOME))
    client.get(reverse(HOME))
    assert "12,5/20" not in client.get(reverse(HOME)).content.decode()  # the page cached
    staff = Client()
    staff.force_login(people["staff"])

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("grading:publish", args=[built["scheme"].pk]),
            {"programme": built["programme"].pk, "before_deadline": "on"},
        )

    assert "12,5/20" in client.get(reverse(HOME)).content.decode()
