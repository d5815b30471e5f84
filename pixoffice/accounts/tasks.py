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


@shared_task(name="accounts.send_activation")
def send_activation(identifier: str, site_url: str, language: str) -> bool:
    """Look the identifier up and mail the link, after the response. It may run in the
    web process (eager mode, broker down): a failure is logged, never raised."""
    try:
        return services.send_activation(identifier, site_url=site_url, language=language)
    except Exception:
        logger.exception("Envoi du lien d'activation impossible")
        return False
