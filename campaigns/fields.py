"""Model fields."""

from django.db import models


class JSONTextField(models.JSONField):
    """JSON kept as written: PostgreSQL ``json`` (the text, checked on input) instead of
    ``jsonb`` (parsed into a binary tree on input).

    For values that are written in bulk and read whole, never queried inside: turning
    the results of 20,000 shares into ``jsonb`` made up a third of an import's
    database time. Elsewhere (SQLite) it is Django's ``JSONField``.
    """

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        if value is None or not isinstance(value, str):
            return value  # psycopg decodes ``json`` itself (Django only asks it not to for jsonb)
        return super().from_db_value(value, expression, connection)
