from celery import shared_task

from .models import Scheme
from .services import recompute_notes


@shared_task(name="grading.recompute_scheme", acks_late=True)
def recompute_scheme(scheme_id: int, student_ids: list[int] | None = None) -> dict:
    scheme = Scheme.objects.filter(pk=scheme_id).first()
    if scheme is None:
        return {}
    return recompute_notes(scheme, student_ids).as_dict()
