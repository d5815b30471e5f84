"""Write a PNG of the demo MOOC's badge baked for an email, to try the upload:

manage.py bake_demo_badge amelie.dupont@etu.univ-exemple.fr -o badge-ia.png
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from pixoffice.badges.demo import bake_demo_badge


class Command(BaseCommand):
    help = "Écrit l'image PNG du badge du MOOC de démonstration, délivré à une adresse."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("-o", "--output", default="badge-ia.png")

    def handle(self, email, output, **options):
        Path(output).write_bytes(bake_demo_badge(email))
        self.stdout.write(f"{output} : badge de démonstration délivré à {email}")
