"""``manage.py run_reminders [--dry-run] [--json]``: the due reminder rules, for
offices that prefer cron to Celery beat. Safe to run twice."""

import json

from django.core.management.base import BaseCommand

from pixoffice.reminders import services


class Command(BaseCommand):
    help = "Met dans la boîte d'envoi les rappels dus (une fois par étudiant et par date)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Dire qui serait visé, sans rien envoyer."
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Bilan en JSON, par règle."
        )

    def handle(self, *args, dry_run=False, as_json=False, **options):
        outcomes = services.run_due(dry_run=dry_run)
        if as_json:
            self.stdout.write(dumps([o.as_json() for o in outcomes]))
            return
        for o in outcomes:
            state = o.skipped or f"{len(o.targeted)} visés, {o.queued} courriels ajoutés"
            self.stdout.write(f"{o.name} ({o.occurrence}) : {state}")


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
