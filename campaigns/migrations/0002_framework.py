"""Load the Pix framework (5 domains, 16 competences) as data."""

from django.db import migrations

from campaigns.framework import install_framework


def load(apps, schema_editor):
    install_framework(apps.get_model("campaigns", "Domain"), apps.get_model("campaigns", "Competence"))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
