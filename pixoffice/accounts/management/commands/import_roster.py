"""``manage.py import_roster FILE [--dry-run] [--json] [--year 2026-2027] [--restore-zeros]``

The staff page's roster import, for offices that automate it. Exits 1 when the file
is refused (nothing is written), 0 otherwise.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pixoffice.accounts import services
from pixoffice.accounts.models import AcademicYear
from pixoffice.tabular import error_lines


class Command(BaseCommand):
    help = "Importe une liste d'étudiants (CSV ou XLSX) de la scolarité."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Montre ce qui changerait, sans rien écrire."
        )
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Bilan au format JSON."
        )
        parser.add_argument(
            "--year", help="Année universitaire (AAAA-AAAA) ; par défaut l'année en cours."
        )
        parser.add_argument(
            "--restore-zeros",
            action="store_true",
            help="Rétablit les zéros en tête qu'Excel semble avoir supprimés des numéros.",
        )

    def handle(
        self,
        *args,
        file: Path,
        dry_run: bool,
        as_json: bool,
        year: str | None,
        restore_zeros: bool,
        **options,
    ):
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        data = file.read_bytes()
        academic_year = AcademicYear.current()
        if year:
            academic_year = AcademicYear.objects.filter(name=year).first()
            if academic_year is None:
                raise CommandError(f"Année universitaire inconnue : {year}")
        plan = services.plan_roster_import(
            data,
            by=None,
            academic_year=academic_year,
            max_bytes=settings.UPLOAD_MAX_BYTES,
            restore_zeros=restore_zeros,
        )
        summary = plan.summary()
        if plan.needs_mapping and not plan.errors:
            summary["errors"] = [
                {
                    "row": 0,
                    "column": "",
                    "message": "Colonnes obligatoires non trouvées : "
                    + ", ".join(services.roster_files.missing_fields(plan.mapping))
                    + ".",
                }
            ]
        refused = bool(summary["errors"])
        if not refused and not dry_run:
            roster_import = services.store_roster_file(
                data,
                name=file.name,
                by=None,
                mapping=plan.mapping,
                academic_year=academic_year,
                summary=summary,
                restore_zeros=restore_zeros,
            )
            summary = services.apply_roster_import(roster_import.pk).summary
            refused = bool(summary["errors"])
        summary["dry_run"] = dry_run
        self._report(summary, as_json=as_json)
        if refused:
            raise SystemExit(1)

    def _report(self, summary: dict, *, as_json: bool):
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        if summary["errors"]:
            self.stderr.write("\n".join(error_lines(summary["errors"])))
            return
        line = (
            f"{summary['rows']} lignes : {summary['created']} créés, {summary['updated']} modifiés, "
            f"{summary['unchanged']} inchangés, {summary['absent']} en base mais absents du fichier."
        )
        if summary["dry_run"]:
            line += " Simulation : rien n'a été écrit."
        self.stdout.write(line)
