"""Bulk writes: PostgreSQL ``COPY`` when available (≈70× faster than ``bulk_create``
here), ``bulk_create`` otherwise (SQLite in development)."""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice

import orjson
from django.db import connection, models, transaction

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"
_BOOLEANS = {True: "t", False: "f", None: _NULL}
_BLOCK = 5000  # lines sent to the server at once


def _text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return _NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode().translate(_ESCAPES)
    return str(value).translate(_ESCAPES)


def _column_texts(values: tuple) -> Iterable[str]:
    """One column's values in COPY's text format: one C-level ``map`` per column where
    the type allows it, rather than a Python call per value (the difference is most
    of the client's time for 20,000 rows)."""
    kinds = set(map(type, values))
    nullable = type(None) in kinds
    kinds.discard(type(None))
    if not kinds:  # every value NULL
        return [_NULL] * len(values)
    kind = kinds.pop() if len(kinds) == 1 else None
    if kind is bool:
        return map(_BOOLEANS.__getitem__, values)
    if kind is int:
        return [_NULL if v is None else str(v) for v in values] if nullable else map(str, values)
    if kind is str:
        joined = "".join(filter(None, values))
        escape = any(c in joined for c in "\\\t\n\r")
        if not nullable and not escape:
            return values
        return [_NULL if v is None else v.translate(_ESCAPES) if escape else v for v in values]
    if kind in (dt.datetime, dt.date):  # few distinct values (a share's minute, "now", days)
        texts = {value: _text(value) for value in set(values)}
        return map(texts.__getitem__, values)
    return map(_text, values)


def _copy_lines(columns: list[Sequence]) -> Iterator[str]:
    return map("\t".join, zip(*map(_column_texts, columns), strict=True))


def _copy_into(cursor, table: str, names: list[str], columns: list[Sequence]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        lines = _copy_lines(columns)
        while block := list(islice(lines, _BLOCK)):
            copy.write("\n".join(block) + "\n")


def _instances(model, fields: list[str], columns: list[Sequence]) -> list:
    """Model instances for ``bulk_create``; JSON given as its text (what ``COPY`` sends)
    is decoded first, or Django would store it as one JSON string."""
    meta = model._meta
    names = [meta.get_field(name).attname for name in fields]  # "campaign" → "campaign_id"
    for index, name in enumerate(fields):
        if isinstance(meta.get_field(name), models.JSONField):
            columns[index] = [orjson.loads(v) if isinstance(v, str) else v for v in columns[index]]
    return [model(**dict(zip(names, row, strict=True))) for row in zip(*columns, strict=True)]


def copy_columns(*tables: tuple[type, dict[str, Sequence] | Callable[[], dict]]) -> None:
    """Insert rows given column by column into one or more tables, in order: each table
    is ``(model, {field name: its values})``, all columns as long, or ``(model, a
    function returning them)``. On PostgreSQL, the function and the text of a table
    run while the server still writes the previous table."""
    if connection.vendor != "postgresql":
        for model, columns in tables:
            columns = columns() if callable(columns) else columns
            fields, values = list(columns), list(columns.values())
            if values and values[0]:
                model.objects.bulk_create(_instances(model, fields, values), batch_size=1000)
        return
    quote = connection.ops.quote_name
    connection.ensure_connection()
    # the driver's own cursor (for COPY), its errors turned into Django's like any query's
    with connection.wrap_database_errors, connection.connection.cursor() as cursor:
        pending = _text_of(tables[0][1])
        for index, (model, _columns) in enumerate(tables):
            names, text = pending
            following = tables[index + 1][1] if index + 1 < len(tables) else None
            if not names:  # no rows
                pending = _text_of(following) if following is not None else None
                continue
            table = quote(model._meta.db_table)
            names = ", ".join(quote(model._meta.get_field(name).column) for name in names)
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                copy.write(text)
                # the next table's text is made while the server writes this one
                pending = _text_of(following) if following is not None else None


def _text_of(columns: dict[str, Sequence] | Callable[[], dict]) -> tuple[list[str], str]:
    return _copy_text(columns() if callable(columns) else columns)


def _copy_text(columns: dict[str, Sequence]) -> tuple[list[str], str]:
    """The field names and the ``COPY`` text of these columns (no names if no rows)."""
    values = list(columns.values())
    if not values or not values[0]:
        return [], ""
    return list(columns), "\n".join(_copy_lines(values)) + "\n"


def reserve_ids(model, count: int) -> list[int]:
    """``count`` primary keys for rows about to be inserted by ``copy_columns``, so that
    rows pointing at them can be written in the same go."""
    if not count:
        return []
    if connection.vendor != "postgresql":  # SQLite (development): one writer at a time
        start = (model.objects.aggregate(last=models.Max("pk"))["last"] or 0) + 1
        return list(range(start, start + count))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, %s)",
            [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column],
        )
        (sequence,) = cursor.fetchone()
        cursor.execute(
            "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)",
            [sequence, count],
        )
        return cursor.fetchone()[0]


def copy_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples in ``fields`` order) into ``model``'s table."""
    if rows:
        copy_columns((model, dict(zip(fields, zip(*rows, strict=True), strict=True))))


def update_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Update ``fields`` of many rows: ``rows`` are ``(pk, value, …)`` tuples. On
    PostgreSQL: ``COPY`` into a temporary table, then one ``UPDATE … FROM`` (Django's
    ``bulk_update`` writes a ``CASE`` per row and field: 50× slower on 50,000 notes)."""
    if not rows:
        return
    names = [model._meta.get_field(name).attname for name in fields]
    if connection.vendor != "postgresql":
        objects = []
        for pk, *values in rows:
            instance = model(pk=pk)
            for name, value in zip(names, values, strict=True):
                setattr(instance, name, value)
            objects.append(instance)
        model.objects.bulk_update(objects, fields, batch_size=1000)
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk_column = quote(model._meta.pk.column)
    columns = [quote(model._meta.get_field(name).column) for name in fields]
    staging = quote(f"staging_{model._meta.db_table}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        # names only, from the model's metadata, quoted; values travel through COPY
        select = f"SELECT {pk_column}, {', '.join(columns)} FROM {table}"  # noqa: S608
        cursor.execute(f"CREATE TEMP TABLE {staging} AS {select} WITH NO DATA")
        with connection.wrap_database_errors:
            _copy_into(cursor.cursor, staging, [pk_column, *columns], list(zip(*rows, strict=True)))
        assignments = ", ".join(f"{c} = s.{c}" for c in columns)
        update = f"UPDATE {table} AS t SET {assignments} FROM {staging} AS s"  # noqa: S608
        cursor.execute(f"{update} WHERE t.{pk_column} = s.{pk_column}")
        cursor.execute(f"DROP TABLE {staging}")
