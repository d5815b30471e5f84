"""The Celery app. Tasks live in each app's ``tasks.py`` and are named ``<app>.<action>``."""

import logging
import os

from celery import Celery
from celery.signals import task_failure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixoffice.settings.base")

app = Celery("pixoffice", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@task_failure.connect
def log_task_failure(sender=None, task_id=None, exception=None, **kwargs):
    logger.error("Tâche %s (%s) en échec : %r", getattr(sender, "name", "?"), task_id, exception)
