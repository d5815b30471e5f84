"""``manage.py import_grid FILE --name NAME --year YYYY-YYYY [--scale N]``

A grading grid from a CSV/XLSX file (the Strasbourg file loads as is), like the grid
page's upload. A grid already used by a published note is not changed: a new version
replaces it. Importing the same file again changes nothing. A refused file exits 1,
every faulty line named, nothing written.
"""

from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grading import computation as calc
from grading.grids import import_grid
from grading.models import Grid
from grading.services import GradingError
from pixoffice.accounts.models import AcademicYear


class Command(BaseCommand):
    help = "Importe une grille de notation (score minimal → note) depuis un fichier CSV ou XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--name", required=True, help="Nom de la grille, ex. « Unistra ».")
        parser.add_argument("--year", required=True, help="Année universitaire (AAAA-AAAA).")
        parser.add_argument(
            "--scale",
            help="Barème (20 pour une note sur 20) ; par défaut lu dans l'en-tête "
            "(« note_sur_20 »).",
        )

    def handle(self, *args, file: Path, name: str, year: str, scale: str | None, **options):
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        name = name.strip()
        if not name:
            raise CommandError("Le nom de la grille est vide.")
        academic_year = AcademicYear.objects.filter(name=year.strip()).first()
        if academic_year is None:
            raise CommandError(f"Année universitaire inconnue : {year} (format AAAA-AAAA).")
        scale_value = self._scale(scale) if scale else None

        before = Grid.objects.filter(
            name=name, academic_year=academic_year, superseded_by__isnull=True
        ).first()
        try:
            grid = import_grid(
                file.read_bytes(),
                name=name,
                academic_year=academic_year,
                by=None,
                scale=scale_value,
            )
        except GradingError as error:
            self.stderr.write(str(error))
            self.stderr.write("Fichier refusé : rien n'a été écrit.")
            raise SystemExit(1) from error

        if before is None:
            what = "créée"
        elif grid.pk != before.pk:
            what = (
                f"nouvelle version (la version {before.version} est utilisée par des notes "
                "publiées) ; les notes sont recalculées"
            )
        elif (grid.steps, grid.scale) == (before.steps, before.scale):
            what = "inchangée"
        else:
            what = "modifiée ; les notes sont recalculées"
        self.stdout.write(
            f"Grille « {grid.name} » {academic_year}, version {grid.version} : "
            f"{len(grid.steps)} paliers, barème {calc.number_text(Decimal(grid.scale))} — {what}."
        )

    @staticmethod
    def _scale(text: str) -> Decimal:
        try:
            value = calc.to_decimal(text)
        except InvalidOperation:
            value = None
        if value is None or value <= 0:
            raise CommandError(f"Barème illisible : « {text} » (ex. 20).")
        return value
