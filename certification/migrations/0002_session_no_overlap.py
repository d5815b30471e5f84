"""No two sessions overlap in one room, enforced by PostgreSQL.

An exclusion constraint over (room, [starts_at, occupied_until)), which needs the
btree_gist extension for the ``=`` on the room. On SQLite (the embedded ``make run``)
both operations do nothing: ``certification.services`` then refuses an overlap with
a French message before saving (it does so on PostgreSQL too, the constraint being
the guarantee under concurrency). The constraint lives only in the database, not in
the model state, so that Django never tries to create it on SQLite.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models
from django.db.models import Func

NAME = "certification_session_no_overlap_in_room"


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = models.DateTimeField()  # only used in SQL


def constraint():
    return ExclusionConstraint(
        name=NAME,
        expressions=[
            (TsTzRange("starts_at", "occupied_until", models.Value("[)")), RangeOperators.OVERLAPS),
            ("room", RangeOperators.EQUAL),
        ],
        violation_error_message="Cette salle est déjà occupée sur ce créneau.",
    )


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        model = apps.get_model("certification", "CertificationSession")
        schema_editor.add_constraint(model, constraint())


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        model = apps.get_model("certification", "CertificationSession")
        schema_editor.remove_constraint(model, constraint())


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0001_initial"),
    ]

    operations = [
        BtreeGistExtension(),  # does nothing outside PostgreSQL
        migrations.RunPython(add_constraint, remove_constraint),
    ]
