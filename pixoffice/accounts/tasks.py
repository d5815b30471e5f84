import logging

from celery import shared_task

from . import batches, services
from .models import RosterImport

logger = logging.getLogger(__name__)


@shared_task(name="accounts.apply_roster_import")
def apply_roster_import(roster_import_id: int) -> dict:
    return batches.run_apply(RosterImport, roster_import_id, services.apply_roster_import).summary


@shared_task(name="accounts.release_stale_imports")
def release_stale_imports() -> int:
    return batches.release_all_stale()


@shared_task(bind=True, name="accounts.send_activation")
def send_activation(self, identifier: str, site_url: str, language: str) -> bool:
    """Look the identifier up and mail the link through the outbox, after the
    response. The task's id is the request's: a redelivered task queues nothing
    twice. It may run in the web process (eager mode, broker down: no id, a fresh
    one): a failure is logged, never raised."""
    try:
        return services.send_activation(
            identifier, site_url=site_url, language=language, request_id=self.request.id
        )
    except Exception:
        logger.exception("Envoi du lien d'activation impossible")
        return False
