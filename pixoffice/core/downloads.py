"""One way to send a file to the browser (every floor uses it).

The file name goes through Django's ``content_disposition_header`` (RFC 6266):
accents and dashes survive (« Saint-Étienne — … »), quotes cannot break the header.
"""

from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from pixoffice.tabular import to_csv_bytes, to_xlsx_bytes

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def download(content: bytes, filename: str, content_type: str | None = None) -> HttpResponse:
    """An attachment; the content type follows the extension unless given."""
    extension = filename.rsplit(".", 1)[-1].lower()
    response = HttpResponse(
        content,
        content_type=content_type or CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def table_download(
    header: Sequence[str], rows: Iterable[Sequence], fmt: str, filename: str, *, title: str
) -> HttpResponse:
    """A table as CSV (BOM, ``;``) or XLSX; ``filename`` without its extension."""
    content = (
        to_xlsx_bytes(header, rows, title=title) if fmt == "xlsx" else to_csv_bytes(header, rows)
    )
    return download(content, f"{filename}.{'xlsx' if fmt == 'xlsx' else 'csv'}")
