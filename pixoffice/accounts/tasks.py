from celery import shared_task

from . import services


@shared_task(name="accounts.apply_roster_import")
def apply_roster_import(roster_import_id: int) -> dict:
    return services.apply_roster_import(roster_import_id).summary
