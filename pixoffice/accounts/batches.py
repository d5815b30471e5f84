"""Running an import batch so that it never stays « en cours » for good.

A batch is claimed (``previewed`` or ``failed`` → ``queued``) with a conditional
``UPDATE``, then applied in-process or by a Celery task. Whatever goes wrong after the
claim ends in ``failed`` with a reason staff can read, and a retry claims it again:

- the apply raises (a bug, bad data, the database connection lost): ``run_apply``
  marks it failed after the rollback;
- the broker is unreachable: ``dispatch`` applies it in-process when it is small
  enough (``IMPORT_INPROCESS_MAX_ROWS``), else marks it failed;
- the worker died or the message was lost: ``release_stale`` takes back a batch
  queued for longer than ``IMPORT_STALE_AFTER`` seconds whose row nobody holds (a
  running apply holds it ``FOR UPDATE``), from its page or from the periodic task.

Every apply skips a batch that is ``applied``, ``refused`` or ``failed``, so a late
task never applies a batch that was taken back.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from pixoffice.core.locking import LockError

from .models import BatchFailure, UploadedBatch

logger = logging.getLogger(__name__)

PREVIEWED, QUEUED, FAILED = "previewed", "queued", "failed"
REFUSED, CANCELLED, UNCHANGED = "refused", "cancelled", "unchanged"
# an apply finding one of these does nothing
DONE = ("applied", REFUSED, FAILED, CANCELLED, UNCHANGED)


def outcome_at_upload(plan_refused: bool, nothing_new: bool) -> str:
    """The status a batch is stored with: a refused file is ``refused`` (its summary
    holds the errors) and a file that changes nothing is ``unchanged``: neither offers
    anything to confirm. Else ``previewed``."""
    if plan_refused:
        return REFUSED
    return UNCHANGED if nothing_new else PREVIEWED


def cancel(model: type[UploadedBatch], pk: int) -> bool:
    """« Annuler » on a preview: ``previewed`` → ``cancelled``; False if it was
    confirmed (or cancelled) meanwhile."""
    return bool(model.objects.filter(pk=pk, status=PREVIEWED).update(status=CANCELLED))


def claim(model: type[UploadedBatch], pk: int) -> bool:
    """Take a previewed (or failed: a retry) batch for applying; False if someone did."""
    return bool(
        model.objects.filter(pk=pk, status__in=[PREVIEWED, FAILED]).update(
            status=QUEUED, claimed_at=timezone.now(), failure_reason=""
        )
    )


def mark_failed(model: type[UploadedBatch], pk: int, reason: str) -> bool:
    """``queued`` → ``failed``; reconnects once if the connection was the casualty."""
    for attempt in (1, 2):
        try:
            return bool(
                model.objects.filter(pk=pk, status=QUEUED).update(
                    status=FAILED, failure_reason=reason
                )
            )
        except (OperationalError, InterfaceError):
            if attempt == 2 or connection.in_atomic_block:
                raise
            connection.close()  # the next query opens a new connection
    return False


def run_apply(model: type[UploadedBatch], pk: int, apply: Callable[[int], UploadedBatch]):
    """Apply a batch; an exception rolls it back, is logged and marks it failed. A
    ``LockError`` (what the batch points at is gone) is the caller's to show."""
    try:
        return apply(pk)
    except LockError:
        raise
    except Exception as error:
        reason = (
            BatchFailure.DATABASE
            if isinstance(error, (OperationalError, InterfaceError))
            else BatchFailure.ERROR
        )
        logger.exception("%s %s : échec de l'application (%s)", model._meta.label, pk, reason)
        mark_failed(model, pk, reason)
        return model.objects.get(pk=pk)


def dispatch(task, model: type[UploadedBatch], pk: int, *, apply, rows: int) -> None:
    """Send a claimed batch to the task queue. If the broker is unreachable, apply it
    here when it is small enough, else mark it failed (« file de tâches indisponible »)."""
    try:
        task.apply_async((pk,))
    except (BrokerError, OSError):
        logger.warning("%s %s : file de tâches injoignable", model._meta.label, pk, exc_info=True)
        if rows <= settings.IMPORT_INPROCESS_MAX_ROWS:
            run_apply(model, pk, apply)
        else:
            mark_failed(model, pk, BatchFailure.QUEUE)


def confirm(batch: UploadedBatch, *, task, apply: Callable[[int], UploadedBatch], threshold: int):
    """What a « Confirmer » (or « Relancer ») button does, for every kind of import:
    claim the batch, then apply it here when it has at most ``threshold`` rows, else
    send it to ``task`` once the transaction commits. ``False`` if it was not there to
    claim (a double click, another tab); ``batch`` is refreshed either way."""
    claimed = claim(type(batch), batch.pk)
    if claimed:
        rows = batch.summary.get("rows", 0)
        if rows > threshold:
            transaction.on_commit(
                partial(dispatch, task, type(batch), batch.pk, apply=apply, rows=rows)
            )
        else:
            run_apply(type(batch), batch.pk, apply)
    batch.refresh_from_db()
    return claimed


def release_stale(model: type[UploadedBatch], pk: int | None = None) -> int:
    """Mark failed (« interrompu ») the batches queued for longer than
    ``IMPORT_STALE_AFTER`` seconds that no running apply holds. Returns how many."""
    cutoff = timezone.now() - timedelta(seconds=settings.IMPORT_STALE_AFTER)
    stale = model.objects.filter(Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True))
    stale = stale.filter(status=QUEUED)
    if pk is not None:
        stale = stale.filter(pk=pk)
    try:
        with transaction.atomic():
            ids = list(stale.select_for_update(skip_locked=True).values_list("pk", flat=True))
            if ids:
                model.objects.filter(pk__in=ids).update(
                    status=FAILED, failure_reason=BatchFailure.INTERRUPTED
                )
    except DatabaseError:
        logger.exception("%s : reprise des imports interrompus impossible", model._meta.label)
        return 0
    for batch_id in ids:
        logger.warning("%s %s : interrompu, repris après délai", model._meta.label, batch_id)
    return len(ids)


def release_all_stale() -> int:
    """``release_stale`` on every kind of batch (the periodic task)."""
    return sum(
        release_stale(model)
        for model in apps.get_models()
        if issubclass(model, UploadedBatch)
        and FAILED in getattr(getattr(model, "Status", None), "values", ())
    )
