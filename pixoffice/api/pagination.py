"""limit/offset pages with a ceiling (``settings.API_PAGE_MAX``): two queries per page,
whatever its size (the count and the page)."""

from django.conf import settings
from ninja import Field, Schema

DEFAULT_LIMIT = 100


class PageQuery(Schema):
    limit: int = Field(
        DEFAULT_LIMIT,
        ge=1,
        description="Taille de la page (plafonnée par API_PAGE_MAX, 500 par défaut).",
    )
    offset: int = Field(0, ge=0, description="Rang du premier élément (à partir de 0).")


def paginate(queryset, page: PageQuery) -> tuple[list, dict]:
    """The page's objects and the envelope's ``count``, ``limit``, ``offset``."""
    limit = min(page.limit, settings.API_PAGE_MAX)
    count = queryset.count()
    items = list(queryset[page.offset : page.offset + limit])
    return items, {"count": count, "limit": limit, "offset": page.offset}
