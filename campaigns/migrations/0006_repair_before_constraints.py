"""Repairs, in its own transaction, the rows the missing constraints let through, before
0007 puts the constraints back (see there)."""

from django.db import migrations

REPAIRS = [
    "DELETE FROM campaigns_share s WHERE NOT EXISTS (SELECT 1 FROM "
    "campaigns_participation p WHERE p.id = s.participation_id)",
    "DELETE FROM campaigns_share s USING campaigns_participation p WHERE "
    "p.id = s.participation_id AND NOT EXISTS (SELECT 1 FROM campaigns_campaign c "
    "WHERE c.id = p.campaign_id)",
    "DELETE FROM campaigns_participation p WHERE NOT EXISTS (SELECT 1 FROM "
    "campaigns_campaign c WHERE c.id = p.campaign_id)",
    "UPDATE campaigns_participation p SET student_id = NULL WHERE student_id IS NOT "
    "NULL AND NOT EXISTS (SELECT 1 FROM accounts_student s WHERE s.id = p.student_id)",
    "UPDATE campaigns_participation p SET first_import_id = NULL WHERE first_import_id "
    "IS NOT NULL AND NOT EXISTS (SELECT 1 FROM campaigns_resultimport r WHERE "
    "r.id = p.first_import_id)",
    "UPDATE campaigns_share s SET import_batch_id = NULL WHERE import_batch_id IS NOT "
    "NULL AND NOT EXISTS (SELECT 1 FROM campaigns_resultimport r WHERE "
    "r.id = s.import_batch_id)",
    "UPDATE campaigns_participation p SET student_id = NULL FROM campaigns_participation o "
    "WHERE o.campaign_id = p.campaign_id AND o.student_id = p.student_id AND o.id < p.id",
    "UPDATE campaigns_share s SET counts = false FROM campaigns_share o WHERE "
    "o.participation_id = s.participation_id AND o.counts AND s.counts AND "
    "(o.shared_at, o.id) > (s.shared_at, s.id)",
]


def repair(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":  # SQLite: development data only
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in REPAIRS:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0005_bulk_import_without_key_checks")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
