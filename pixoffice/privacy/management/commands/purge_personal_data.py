"""Purge the personal data of the finished academic years past retention."""

import json

from django.core.management.base import BaseCommand, CommandError

from pixoffice.privacy import retention


class Command(BaseCommand):
    help = (
        "Supprime les données personnelles des années universitaires terminées depuis plus "
        "de PERSONAL_DATA_RETENTION_YEARS ans (fichiers compris) en gardant les effectifs "
        "anonymes des statistiques. Tout ou rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--before",
            metavar="AAAA-AAAA",
            help="Seulement les années qui commencent avant celle-ci (qui reste).",
        )
        parser.add_argument(
            "--ignore-retention",
            action="store_true",
            help="Avec --before : purger aussi des années encore dans la durée de conservation.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Dire ce qui serait supprimé, sans rien changer."
        )
        parser.add_argument("--json", action="store_true", help="Le bilan en JSON.")

    def handle(self, *args, before=None, ignore_retention=False, dry_run=False, **options):
        if ignore_retention and not before:
            raise CommandError("--ignore-retention demande --before.")
        action = retention.plan_purge if dry_run else retention.apply_purge
        try:
            plan = action(before=before, ignore_retention=ignore_retention)
        except retention.PurgeRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        if options["json"]:
            self.stdout.write(json.dumps({"dry_run": dry_run, **plan.as_dict()}, indent=2))
            return
        if not plan.years or plan.is_empty:
            self.stdout.write("Rien à purger.")
            return
        verb = "Serait supprimé" if dry_run else "Supprimé"
        self.stdout.write(f"Années : {', '.join(year.name for year in plan.years)}")
        for kind, total, per_year in plan.rows():
            if total:
                detail = ", ".join(f"{name} : {n}" for name, n in per_year.items())
                self.stdout.write(f"{verb} — {kind.label} : {total} ({detail})")
        self.stdout.write(f"Fichiers : {len(plan.files)} ({plan.file_bytes} octets)")
