from celery import shared_task

from . import batches, services
from .models import RosterImport


@shared_task(name="accounts.apply_roster_import")
def apply_roster_import(roster_import_id: int) -> dict:
    return batches.run_apply(RosterImport, roster_import_id, services.apply_roster_import).summary


@shared_task(name="accounts.release_stale_imports")
def release_stale_imports() -> int:
    return batches.release_all_stale()
