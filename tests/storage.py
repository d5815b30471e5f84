"""What is in the file storage, whatever its backend (the local folder or S3): tests look
at ``STORAGES["default"]``, never at ``MEDIA_ROOT``, so they hold on both."""

from django.core.files.storage import storages


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
