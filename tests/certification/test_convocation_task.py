"""Many convocations at once go through the ``mail`` queue's task, not the request
(``convocations.queue_after_commit``): a few stay in-process, a retried task queues
nothing twice, and with the broker unreachable they are queued in-process after all."""

from unittest import mock

import pytest

from certification import services, tasks
from certification.models import CertificationSession
from pixoffice.mail.models import Message
from tests.certification.test_convocation_mail import before_the_session, draft, publish  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_few_candidates_are_convoked_in_the_request(
    draft,  # noqa: F811
    before_the_session,  # noqa: F811
    django_capture_on_commit_callbacks,
    settings,
):
    settings.CONVOCATION_TASK_THRESHOLD = 2
    with mock.patch.object(tasks.queue_convocations, "delay") as delay:
        publish(draft["session"], django_capture_on_commit_callbacks)

    delay.assert_not_called()
    assert Message.objects.filter(kind="convocation").count() == 2


def test_more_than_the_threshold_go_through_the_task_and_a_retry_adds_nothing(
    draft,  # noqa: F811
    before_the_session,  # noqa: F811
    django_capture_on_commit_callbacks,
    settings,
):
    settings.CONVOCATION_TASK_THRESHOLD = 1
    with mock.patch.object(
        tasks.queue_convocations, "delay", wraps=tasks.queue_convocations.delay
    ) as delay:
        publish(draft["session"], django_capture_on_commit_callbacks)

    delay.assert_called_once_with([draft["session"].pk], [])
    assert Message.objects.filter(kind="convocation").count() == 2  # the task ran (eager)
    assert tasks.queue_convocations(session_ids=[draft["session"].pk], candidate_ids=[]) == 0
    assert Message.objects.filter(kind="convocation").count() == 2


def test_with_the_broker_unreachable_they_are_queued_here(
    draft,  # noqa: F811
    before_the_session,  # noqa: F811
    django_capture_on_commit_callbacks,
    redis_down,
):
    from django.test import override_settings

    # not the ``settings`` fixture: its teardown, after redis_down's, would put back
    # the unreachable cache
    with (
        override_settings(CONVOCATION_TASK_THRESHOLD=1),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.publish_session(session=CertificationSession.objects.get(pk=draft["session"].pk))

    assert Message.objects.filter(kind="convocation").count() == 2
