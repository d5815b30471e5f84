from celery import shared_task

from . import services


@shared_task(name="campaigns.apply_result_import")
def apply_result_import(result_import_id: int) -> dict:
    return services.apply_result_import(result_import_id).summary
