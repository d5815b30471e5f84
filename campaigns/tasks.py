from celery import shared_task

from pixoffice.accounts import batches

from . import services
from .models import ResultImport


@shared_task(name="campaigns.apply_result_import")
def apply_result_import(result_import_id: int) -> dict:
    return batches.run_apply(ResultImport, result_import_id, services.apply_result_import).summary
