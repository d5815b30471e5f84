"""``manage.py health [--json]``: what ``/healthz`` says, and what waits for a person
(failed or uncertain mail, mail overdue, imports stuck). For monitoring: exit 0 ok,
1 degraded or attention, 2 down (Nagios' convention)."""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pixoffice.health import report

EXIT = {"ok": 0, "attention": 1, "degraded": 1, "down": 2}


class Command(BaseCommand):
    help = "État du site : base, cache, file de tâches, courriels et imports en attente."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="sortie JSON")

    def handle(self, *args, **options):
        result = report()
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, sort_keys=True))
        else:
            self.stdout.write(_("État : %(status)s") % {"status": result["status"]})
            for part in ("database", "cache", "broker"):
                self.stdout.write(f"  {part} : {result[part]}")
            outbox, imports = result.get("outbox", {}), result.get("imports", {})
            for name, count in outbox.items():
                self.stdout.write(f"  outbox.{name} : {count}")
            for name, counts in imports.items():
                for label, count in counts.items():
                    self.stdout.write(f"  imports.{name}.{label} : {count}")
        raise SystemExit(EXIT[result["status"]])
