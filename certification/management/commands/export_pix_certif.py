"""``manage.py export_pix_certif [--session ID ...] [--date YYYY-MM-DD] [--output FILE]``:
the Pix Certif mass import CSV. Without a filter: every published session of the
current academic year."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from certification.exports import export_candidates, pix_certif_csv
from certification.models import CertificationSession
from pixoffice.accounts.models import AcademicYear


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Date invalide « {text} » : format attendu AAAA-MM-JJ.") from error


class Command(BaseCommand):
    help = "Écrit le fichier d'import en masse Pix Certif des sessions choisies."

    def add_arguments(self, parser):
        parser.add_argument("--session", type=int, action="append", dest="sessions", default=[])
        parser.add_argument("--date", help="AAAA-MM-JJ : les sessions de ce jour (Paris)")
        parser.add_argument("--output", help="fichier à écrire (sinon la sortie standard)")

    def handle(self, *args, sessions, date, output, **options):
        selected = CertificationSession.objects.all()
        if sessions:
            selected = selected.filter(pk__in=sessions)
            unknown = set(sessions) - set(selected.values_list("pk", flat=True))
            if unknown:
                raise CommandError(
                    f"Session(s) inconnue(s) : {', '.join(map(str, sorted(unknown)))}."
                )
        if date:
            start = timezone.make_aware(dt.datetime.combine(_day(date), dt.time()))
            selected = selected.filter(
                starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1)
            )
        if not sessions and not date:
            year = AcademicYear.current()
            selected = selected.filter(
                status=CertificationSession.Status.PUBLISHED, academic_year=year
            )
        candidates = export_candidates(selected)
        content = pix_certif_csv(candidates)
        if output:
            with open(output, "wb") as file:
                file.write(content)
            self.stderr.write(f"{candidates.count()} candidat·e·s écrit·e·s dans {output}.")
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
