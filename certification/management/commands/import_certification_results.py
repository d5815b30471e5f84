"""``manage.py import_certification_results FILE [--session PIX_NUMBER] [--dry-run] [--json]``:
the Pix certification results CSV. Exit 1 when the file is refused (nothing written)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from certification.results import apply_results_import, plan_results_import


class Command(BaseCommand):
    help = "Importe un fichier de résultats de certification Pix."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--session", type=int, help="numéro de session Pix attendu")
        parser.add_argument("--dry-run", action="store_true", help="lire sans rien écrire")
        parser.add_argument("--json", action="store_true", help="bilan en JSON")

    def handle(self, *args, file, session, dry_run, json: bool, **options):
        path = Path(file)
        if not path.is_file():
            plan_summary = {
                "candidates": 0, "matched": 0, "unmatched": 0, "statuses": {},
                "errors": [{"row": 0, "column": "", "message": f"Fichier introuvable : {file}"}],
            }  # fmt: skip
            self._report(plan_summary, json)
            raise SystemExit(1)
        plan = plan_results_import(path.read_bytes(), session_number=session)
        summary = plan.summary()
        if plan.ok and not dry_run:
            summary |= apply_results_import(plan)
        self._report(summary, json)
        if not plan.ok:
            raise SystemExit(1)

    def _report(self, summary, as_json):
        if as_json:
            self.stdout.write(_dumps(summary))
            return
        for error in summary["errors"]:
            self.stderr.write(
                (f"Ligne {error['row']} : " if error["row"] else "") + error["message"]
            )
        if summary["errors"]:
            self.stderr.write("Fichier refusé : rien n'a été écrit.")
            return
        statuses = ", ".join(f"{label} : {n}" for label, n in summary["statuses"].items())
        self.stdout.write(
            f"{summary['candidates']} candidat·e·s, {summary['matched']} reconnu·e·s, "
            f"{summary['unmatched']} non reconnu·e·s ({statuses})."
        )
        if "created" in summary:
            self.stdout.write(
                f"{summary['created']} créé·e·s, {summary['changed']} modifié·e·s, "
                f"{summary['unchanged']} inchangé·e·s."
            )


def _dumps(summary) -> str:
    return json.dumps(summary, ensure_ascii=False, indent=2)
