from celery import shared_task
from django.conf import settings

from . import retention


@shared_task(name="privacy.purge_personal_data")
def purge_personal_data() -> dict:
    """The scheduled purge (``PERSONAL_DATA_PURGE_ENABLED``): the years past retention
    only, never ``--ignore-retention``; what it removed, as the command's ``--json``."""
    if not settings.PERSONAL_DATA_PURGE_ENABLED:
        return {"enabled": False}
    return retention.apply_purge().as_dict()
