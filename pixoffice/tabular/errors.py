"""The refusal of a whole file, and sizes the way a French message gives them."""


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
