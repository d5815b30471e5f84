"""Load the Pix framework (5 domains, 16 competences) as data."""

from django.db import migrations

from campaigns.framework import COMPETENCES, DOMAINS


def load(apps, schema_editor):
    Domain = apps.get_model("campaigns", "Domain")
    Competence = apps.get_model("campaigns", "Competence")
    domains = {}
    for code, title in DOMAINS:
        domains[code], _ = Domain.objects.update_or_create(code=code, defaults={"title": title})
    for position, (code, name) in enumerate(COMPETENCES, start=1):
        Competence.objects.update_or_create(
            code=code, defaults={"name": name, "domain": domains[code.split(".")[0]], "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
