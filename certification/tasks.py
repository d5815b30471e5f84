from celery import shared_task

from . import convocations


@shared_task(name="certification.queue_convocations", acks_late=True)
def queue_convocations(session_ids: list[int], candidate_ids: list[int]) -> int:
    """The convocations of many candidates, off the request (``queue_after_commit``):
    a retry queues nothing twice (each message's key holds what it says)."""
    return convocations.queue_convocations(session_ids=session_ids, candidate_ids=candidate_ids)
