"""The refusal of a whole file or of a line, and sizes the way a French message gives them."""

from dataclasses import dataclass


@dataclass
class RowError:
    """One refused (or warned about) line of a file; ``line`` 0 is the whole file.
    Every importer's errors, so pages and commands show them one way."""

    line: int
    message: str
    column: str = ""

    def __str__(self):
        return f"Ligne {self.line} : {self.message}" if self.line else self.message


class FileRefused(Exception):
    """The whole file is refused; ``str(error)`` is a French message for the user."""


def format_size(size: int) -> str:
    """A byte count the French way: ``512 octets``, ``12 ko``, ``1,5 Mo``, ``1,1 Go``."""
    if size < 1024:
        return f"{size} octets"
    if size < 1_048_576:
        return f"{size / 1024:.0f} ko"
    if size < 1_073_741_824:
        return f"{size / 1_048_576:.1f} Mo".replace(".", ",").replace(",0 ", " ")
    return f"{size / 1_073_741_824:.1f} Go".replace(".", ",").replace(",0 ", " ")
