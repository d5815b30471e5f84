"""Rows of a related model read in the same query as their parent (a LEFT JOIN).

``select_related`` follows only forward keys; a page that needs a parent and its
(filtered) children in one query annotates the children's columns under a prefix and
builds the child instances back from them::

    students = Student.objects.annotate(**joined_columns(Share, "participations__shares", "s_"))
    shares = [joined_instance(Share, row, "s_") for row in students]  # None: no child

The values come through each field's converters (JSON, dates), so the instances are
those Django would have loaded. Knows no app.
"""

from django.db import models
from django.db.models import F


def joined_columns(model: type[models.Model], path: str, prefix: str) -> dict[str, F]:
    """Annotations: ``prefix + attname`` → ``path__attname`` for every concrete field."""
    return {
        f"{prefix}{field.attname}": F(f"{path}__{field.attname}")
        for field in model._meta.concrete_fields
    }


def joined_instance(model: type[models.Model], row, prefix: str) -> models.Model | None:
    """The ``model`` instance annotated on ``row`` by ``joined_columns``, or ``None`` when
    the join found no row (its primary key is empty)."""
    if getattr(row, f"{prefix}{model._meta.pk.attname}") is None:
        return None
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(row._state.db, names, [getattr(row, prefix + name) for name in names])
