"""Each share's first value per competence of the framework (its level, or its mastery
rate for an assessment) as a ``double precision[]`` that PostgreSQL computes when the
row is written (a generated column: every write path, COPY included, keeps it right).

The follow-up counts levels over 20,000 shares on every page: reading them from this
array instead of parsing every share's ``results`` (``json``) cut the counters' query
by more than half (issue 15). The column is not a model field: Django never writes it
(PostgreSQL refuses writes to a generated column) and only ``campaigns.followup_state``
reads it. On SQLite nothing is added: the follow-up counts in Python there.
"""

from django.db import migrations

# the framework's competences in order (campaigns/framework.py), as of this migration:
# position n of the array is the level of CODES[n - 1]
CODES = [
    "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1",
    "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1", "5.2",
]  # fmt: skip

# PL/pgSQL: results parsed once (to jsonb), then one lookup per competence (a SQL
# function with a subquery cost 3x more per row written)
FUNCTION = """
CREATE OR REPLACE FUNCTION campaigns_share_levels(results json) RETURNS double precision[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  parsed jsonb := CASE WHEN json_typeof(results) = 'object' THEN results::jsonb END;
  levels double precision[] := '{}';
  code text;
  first jsonb;
BEGIN
  FOREACH code IN ARRAY %s LOOP
    first := parsed -> code -> 0;
    levels := levels || CASE WHEN jsonb_typeof(first) = 'number' THEN first::text::float8 END;
  END LOOP;
  RETURN levels;
END
$$
"""


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    codes = "ARRAY[" + ", ".join(f"'{code}'" for code in CODES) + "]"
    schema_editor.execute(FUNCTION % codes)
    schema_editor.execute(
        "ALTER TABLE campaigns_share ADD COLUMN levels double precision[]"
        " GENERATED ALWAYS AS (campaigns_share_levels(results)) STORED"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE campaigns_share DROP COLUMN IF EXISTS levels")
    schema_editor.execute("DROP FUNCTION IF EXISTS campaigns_share_levels(json)")


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0013_unmatched_ignored")]

    operations = [migrations.RunPython(add, drop, elidable=False)]
