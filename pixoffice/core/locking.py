"""Row locks, taken one way everywhere.

``lock_rows`` locks rows by primary key: keys sorted (two transactions locking the same
rows take them in the same order), only inside a transaction (a lock outside one ends
with its statement and protects nothing), with a ``lock_timeout`` (a user waits a few
seconds, then gets a French message rather than a frozen page), and it checks that it
locked every row it was asked to: a row deleted meanwhile raises ``RowsGone`` instead
of letting the caller write rows pointing at nothing.

**One lock order for every path**: campaign → uploaded batch → students →
participations → shares (then grading: scheme → notes). A path that needs several of
these takes them in that order, so two paths never wait for each other in a cycle.

``LockBeforeDelete``: a model whose deletion must wait for the writers that point at
it. Django deletes in two steps (gather what points at the row, then delete); taking
the row's lock first makes a deletion wait for a running import, then see — and
delete or unlink — what it wrote, instead of failing on a foreign key at the end.
"""

from collections.abc import Iterable
from contextlib import suppress

from django.db import DatabaseError, models, router, transaction
from django.utils.translation import gettext as _

LOCK_TIMEOUT_MS = 5000

STRENGTHS = {
    "update": "FOR UPDATE",  # the row will be changed or deleted
    "no key update": "FOR NO KEY UPDATE",
    "key share": "FOR KEY SHARE",  # what a foreign-key check takes: rows stay, may change
}


class LockError(Exception):
    """A lock could not be taken; ``message`` is for the user (French)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RowsLocked(LockError):
    """Another transaction held the rows longer than the lock timeout (or deadlocked)."""

    def __init__(self):
        super().__init__(
            _("Ces données sont en cours de modification ; réessayez dans un instant.")
        )


class RowsGone(LockError):
    """Some rows asked for do not exist (any more)."""

    def __init__(self, model, missing: list):
        self.model, self.missing = model, missing
        name = model._meta.verbose_name
        shown = ", ".join(map(str, missing[:5])) + (" …" if len(missing) > 5 else "")
        super().__init__(
            _("%(name)s n° %(keys)s n'existe plus.")
            % {"name": str(name).capitalize(), "keys": shown}
        )


def lock_rows(
    model, keys: Iterable, *, strength: str = "update", timeout_ms: int | None = None
) -> list:
    """Lock the rows of ``model`` whose primary keys are ``keys`` until the transaction
    ends, in key order, in one statement; return the sorted distinct keys.

    One round trip (timeout, lock, timeout back to the server's default), which needs
    Django's default client-side binding cursor for psycopg.

    Raises ``RuntimeError`` outside a transaction, ``RowsLocked`` after ``timeout_ms``
    (default ``LOCK_TIMEOUT_MS``) or on a deadlock, ``RowsGone`` if fewer rows were locked than distinct keys."""
    using = router.db_for_write(model)
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        raise RuntimeError("lock_rows must run inside transaction.atomic()")
    wanted = sorted(set(keys))
    if not wanted:
        return wanted
    meta = model._meta
    if connection.vendor != "postgresql":  # SQLite: one writer at a time, a check only
        found = set(
            model._base_manager.using(using).filter(pk__in=wanted).values_list("pk", flat=True)
        )
        _check(model, wanted, found)
        return wanted
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    cast = "bigint" if isinstance(meta.pk, models.IntegerField | models.AutoField) else "text"
    # names from the model's metadata, quoted; the keys travel as one array parameter
    sql = (
        f"SELECT {pk} FROM {table} WHERE {pk} = ANY(%s::{cast}[]) "  # noqa: S608
        f"ORDER BY {pk} {STRENGTHS[strength]}"
    )
    # one array literal: psycopg's list adapter costs 1 µs an item
    array = "{" + ",".join(map(str, map(int, wanted))) + "}" if cast == "bigint" else wanted
    # one round trip: the timeout for this statement only (back to the server's
    # default after it; a failed lock aborts the transaction anyway)
    timeout = f"SET LOCAL lock_timeout = {int(timeout_ms or LOCK_TIMEOUT_MS)}"
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"{timeout}; {sql}; SET LOCAL lock_timeout TO DEFAULT", [array])
        except DatabaseError as error:
            code = getattr(error.__cause__, "sqlstate", None)
            if code in ("55P03", "40P01"):  # lock_not_available, deadlock_detected
                raise RowsLocked() from error
            raise
        raw = cursor.cursor
        while raw.description is None or len(raw.description) != 1:  # the SELECT's result
            if not raw.nextset():
                break
        found = {row[0] for row in raw.fetchall()}
    _check(model, wanted, found)
    return wanted


def _check(model, wanted: list, found: set) -> None:
    if len(found) != len(wanted):
        raise RowsGone(model, [key for key in wanted if key not in found])


class LockingQuerySet(models.QuerySet):
    def delete(self):
        with transaction.atomic(using=self.db):
            keys = list(self.values_list("pk", flat=True))
            with suppress(RowsGone):  # deleted meanwhile: nothing more to do for those
                lock_rows(self.model, keys)
            return super().delete()


class LockBeforeDelete(models.Model):
    """A model that bulk writers point at: its rows are locked before being deleted."""

    objects = LockingQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, using=None, keep_parents=False):
        using = using or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            lock_rows(type(self), [self.pk])
            return super().delete(using=using, keep_parents=keep_parents)
