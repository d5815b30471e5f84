from celery import shared_task

from . import sending


@shared_task(name="mail.send_pending")
def send_pending(limit: int = 500) -> dict:
    report = sending.send_pending(limit=limit)
    return {"sent": report.sent, "retried": report.retried, "failed": report.failed}
