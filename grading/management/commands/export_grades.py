"""``manage.py export_grades --programme NAME [--scheme NAME|ID] [--format csv|xlsx]
[--output FILE] [--layout NAME]``

The staff page's SIS export, for scripts: the **published** notes of a programme under
one scheme. CSV goes to FILE or to the standard output (the same bytes as the file: BOM,
``;``, decimal comma); XLSX needs ``--output``. An unknown programme, scheme or layout
is a French error on stderr and exit code 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q

from grading import exports
from grading.models import ExportLayout, Scheme
from pixoffice.accounts.models import Programme


def _names(objects) -> str:
    return ", ".join(f"« {o.name} »" for o in objects) or "aucune"


class Command(BaseCommand):
    help = "Exporte les notes publiées d'une formation pour la scolarité (CSV ou XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="Formation, ex. « L2 Géographie ».")
        parser.add_argument(
            "--scheme",
            help="Modalité de notation (nom ou numéro) ; obligatoire si plusieurs ont des "
            "notes publiées pour la formation.",
        )
        parser.add_argument(
            "--format", dest="fmt", choices=exports.FORMATS, default="csv", help="csv ou xlsx."
        )
        parser.add_argument(
            "--output",
            type=Path,
            help="Fichier à écrire ; par défaut la sortie standard (CSV seulement).",
        )
        parser.add_argument(
            "--layout", help="Format d'export (colonnes) par son nom ; par défaut le standard."
        )

    def handle(self, *args, programme, scheme, fmt, output, layout, **options):
        if output is None and fmt == "xlsx":
            raise CommandError("Le format XLSX est binaire : indiquez le fichier avec --output.")
        if output is not None and not output.parent.is_dir():
            raise CommandError(f"Dossier introuvable : {output.parent}")
        chosen_programme = self._programme(programme)
        chosen_scheme = self._scheme(chosen_programme, scheme)
        chosen_layout = self._layout(layout) if layout else None

        table = exports.sis_table(chosen_scheme, chosen_programme, chosen_layout)
        content = table.render(fmt)
        if not table.rows:
            self.stderr.write(
                f"Aucune note publiée pour {chosen_programme} ({chosen_scheme}) : "
                "le fichier n'a que les en-têtes."
            )
        if output is None:
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        output.write_bytes(content)
        self.stdout.write(
            f"{len(table.rows)} note(s) publiée(s) de {chosen_programme} ({chosen_scheme}) "
            f"écrite(s) dans {output}."
        )

    def _programme(self, name: str) -> Programme:
        programme = Programme.objects.filter(name__iexact=name.strip()).first()
        if programme is None:
            raise CommandError(
                f"Formation inconnue : « {name} ». Formations : {_names(Programme.objects.all())}."
            )
        return programme

    def _scheme(self, programme: Programme, wanted: str | None) -> Scheme:
        schemes = list(
            Scheme.objects.filter(programmes=programme)
            .select_related("academic_year")
            .annotate(
                published=Count(
                    "notes",
                    filter=Q(
                        notes__student__programme=programme, notes__published_at__isnull=False
                    ),
                )
            )
            .order_by("-academic_year__start", "name")
        )
        if not schemes:
            raise CommandError(f"Aucune modalité de notation ne couvre la formation {programme}.")
        if wanted:
            key = wanted.strip().casefold()
            found = [s for s in schemes if s.name.casefold() == key or str(s.pk) == key]
            if len(found) == 1:
                return found[0]
            if not found:
                raise CommandError(
                    f"Aucune modalité « {wanted} » ne couvre la formation {programme}. "
                    + self._listing(schemes)
                )
            raise CommandError(
                f"Plusieurs modalités s'appellent « {wanted} » : indiquez son numéro "
                "(--scheme NUMÉRO). " + self._listing(found)
            )
        with_notes = [s for s in schemes if s.published]
        candidates = with_notes or schemes
        if len(candidates) == 1:
            return candidates[0]
        raise CommandError(
            f"Plusieurs modalités couvrent la formation {programme} : choisissez-en une avec "
            "--scheme. " + self._listing(candidates)
        )

    @staticmethod
    def _listing(schemes) -> str:
        return "Modalités :\n" + "\n".join(
            f"  {s.pk} : {s.name} ({s.academic_year}), {s.published} note(s) publiée(s)"
            for s in schemes
        )

    def _layout(self, name: str) -> ExportLayout:
        layout = ExportLayout.objects.filter(name__iexact=name.strip()).first()
        if layout is None:
            raise CommandError(
                f"Format d'export inconnu : « {name} ». Formats : "
                f"{_names(ExportLayout.objects.all())}."
            )
        return layout
