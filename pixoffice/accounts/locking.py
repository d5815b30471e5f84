"""Deleting rows that bulk imports point at without a database constraint.

A Pix import writes 20,000 participations pointing at their campaign and students
without foreign-key constraints (their per-row checks cost as much as the writing);
it holds instead, for its whole transaction, a lock on the campaign and a key-share
lock on every student it links (``hold_keys``). Django deletes in two steps: it
gathers or schedules the rows that point at the deleted one, then deletes it. Taking
the deleted row's lock *before* those steps makes a deletion wait for a running
import, then see — and delete or unlink — the rows that import wrote.
"""

from django.db import connection, models, router, transaction


def hold_keys(model, ids) -> None:
    """Lock ``model`` rows ``ids`` as a foreign-key check would (``FOR KEY SHARE``:
    they can still be updated, not deleted nor re-keyed), in one statement, until the
    transaction ends."""
    ids = list(ids)
    if not ids or connection.vendor != "postgresql":  # SQLite: one writer at a time
        return
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        # names from the model's metadata, quoted; the ids travel as a parameter
        locked = f"SELECT 1 FROM {table} WHERE {pk} = ANY(%s::bigint[]) FOR KEY SHARE"  # noqa: S608
        # the ids as one array literal: psycopg's list adapter costs 1 µs an item
        array = "{" + ",".join(map(str, map(int, ids))) + "}"
        cursor.execute(f"SELECT count(*) FROM ({locked}) AS locked", [array])  # noqa: S608


class LockingQuerySet(models.QuerySet):
    def delete(self):
        with transaction.atomic(using=self.db):
            list(self.select_for_update().values_list("pk", flat=True))
            return super().delete()


class LockBeforeDelete(models.Model):
    """A model that bulk imports point at: its rows are locked before being deleted."""

    objects = LockingQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, using=None, keep_parents=False):
        using = using or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            manager = type(self)._default_manager.using(using)
            list(manager.select_for_update().filter(pk=self.pk).values_list("pk", flat=True))
            return super().delete(using=using, keep_parents=keep_parents)
