from celery import shared_task

from . import services


@shared_task(name="reminders.run_due")
def run_due() -> int:
    return sum(outcome.queued for outcome in services.run_due())
