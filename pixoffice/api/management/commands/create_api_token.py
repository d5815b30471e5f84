"""Create an API token from the command line (the admins' page does the same); the
secret is printed once."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from pixoffice.accounts.models import Programme
from pixoffice.api import tokens
from pixoffice.api.forms import PARIS


class Command(BaseCommand):
    help = "Crée un jeton d'API limité à des formations et affiche son secret (une seule fois)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="L'application qui s'en sert.")
        parser.add_argument(
            "--programme",
            action="append",
            required=True,
            help="Nom d'une formation (répétable), ex. --programme 'L2 Histoire'.",
        )
        parser.add_argument("--expires", help="Valable jusqu'au AAAA-MM-JJ inclus (Paris).")

    def handle(self, *args, name, programme, expires=None, **options):
        programmes = list(Programme.objects.filter(name__in=programme))
        missing = sorted(set(programme) - {p.name for p in programmes})
        if missing:
            raise CommandError(f"Formation inconnue : {', '.join(missing)}.")
        expires_at = None
        if expires:
            try:
                day = dt.date.fromisoformat(expires)
            except ValueError:
                raise CommandError("--expires : date attendue AAAA-MM-JJ.") from None
            expires_at = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=PARIS)
        created = tokens.create_token(name=name, programmes=programmes, expires_at=expires_at)
        self.stderr.write(
            f"Jeton « {name} » n° {created.token.pk} créé pour {', '.join(p.name for p in programmes)}."
            " Son secret (affiché une seule fois) :"
        )
        self.stdout.write(created.secret)
