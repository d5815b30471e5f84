"""``manage.py import_pix_results FILE [--campaign CODE] [--dry-run] [--json]``

The staff page's Pix Orga import, for scheduled jobs. Exits 1 when the file is
refused (nothing is written), 0 otherwise.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaigns import services
from campaigns.models import Campaign
from pixoffice.tabular import error_lines

KEYS = [
    "rows",
    "participants",
    "shares_created",
    "shares_unchanged",
    "not_shared",
    "unmatched",
    "errors",
]


class Command(BaseCommand):
    help = "Importe un export de résultats Pix Orga (collecte de profils ou évaluation)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--campaign", help="Code Pix de la campagne ; par défaut celui du fichier."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Montre ce qui changerait, sans rien écrire."
        )
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Bilan au format JSON."
        )

    def handle(
        self, *args, file: Path, campaign: str | None, dry_run: bool, as_json: bool, **options
    ):
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        chosen = None
        if campaign:
            chosen = Campaign.objects.filter(code=campaign.strip().upper()).first()
            if chosen is None:
                raise CommandError(f"Aucune campagne n'a le code {campaign}.")
        data = file.read_bytes()
        plan = services.plan_result_import(
            data, campaign=chosen, by=None, max_bytes=settings.UPLOAD_MAX_BYTES
        )
        summary = plan.summary()
        if not plan.refused and not dry_run:
            batch = services.store_result_file(
                data, name=file.name, by=None, campaign=plan.campaign, summary=summary
            )
            summary = services.apply_result_import(batch.pk).summary
        refused = bool(summary["errors"])
        if as_json:
            out = {key: summary[key] for key in KEYS}
            out.update(campaign=summary["campaign"], dry_run=dry_run)
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
        else:
            self._report(summary, dry_run=dry_run)
        if refused:
            raise SystemExit(1)

    def _report(self, summary: dict, *, dry_run: bool):
        if summary["errors"]:
            self.stderr.write("\n".join(error_lines(summary["errors"])))
            return
        line = (
            f"Campagne {summary['campaign']} : {summary['rows']} lignes, {summary['participants']} participants, "
            f"{summary['shares_created']} nouveaux envois, {summary['shares_unchanged']} déjà connus, "
            f"{summary['not_shared']} sans envoi, {summary['unmatched']} non rattachés."
        )
        self.stdout.write(line + (" Simulation : rien n'a été écrit." if dry_run else ""))
