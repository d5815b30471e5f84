"""What is in the file storage, whatever its backend (the local folder or S3): tests look
at ``STORAGES["default"]``, never at ``MEDIA_ROOT``, so they hold on both."""

import os

from django.core.files.storage import InMemoryStorage, storages
from django.utils._os import safe_join


def stored_files(folder: str = "") -> list[str]:
    """Every file name under ``folder`` of the default storage, sorted."""
    storage = storages["default"]
    names: list[str] = []

    def walk(path: str) -> None:
        try:
            folders, files = storage.listdir(path)
        except FileNotFoundError:  # the local folder not made yet
            return
        names.extend(f"{path}/{name}" if path else name for name in files)
        for sub in folders:
            walk(f"{path}/{sub}" if path else sub)

    walk(folder)
    return sorted(names)


def is_local() -> bool:
    """The storage keeps files in a local folder (``.path`` exists)."""
    try:
        storages["default"].path("x")
    except NotImplementedError:
        return False
    return True


class NoPathStorage(InMemoryStorage):
    """Django's in-memory storage, without ``.path`` (Django's own answers one): what a
    remote store is to code that would reach a file by a local path."""

    def path(self, name):
        raise NotImplementedError(f"{name}: this storage has no local path")

    def _relative_path(self, name):  # Django's goes through ``path``
        return os.path.relpath(safe_join(self.location, name), self.location)
