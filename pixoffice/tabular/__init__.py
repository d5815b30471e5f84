"""Reading and writing tables (CSV, XLSX) the way French offices exchange them.

Knows no Django (an import-linter contract checks it): bytes in, rows or a
``FileRefused`` error with a French message out; rows in, bytes out.
"""

from .errors import RowError
from .memory import no_cyclic_gc
from .reading import FileRefused, Table, error_lines, format_size, read_table, unguard
from .writing import neutralise, to_csv_bytes, to_xlsx_bytes

__all__ = [
    "FileRefused",
    "RowError",
    "Table",
    "error_lines",
    "format_size",
    "neutralise",
    "no_cyclic_gc",
    "read_table",
    "to_csv_bytes",
    "to_xlsx_bytes",
    "unguard",
]
