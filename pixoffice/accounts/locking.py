"""Moved to ``pixoffice.core.locking`` (the platform floor); kept for old imports."""

from pixoffice.core.locking import LockBeforeDelete, LockingQuerySet, lock_rows

__all__ = ["LockBeforeDelete", "LockingQuerySet", "lock_rows"]
