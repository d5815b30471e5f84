"""Demo data: the Saint-Étienne AI-module badge, due 08/12 23:59 (Paris), trusted from
an invented MOOC issuer. Safe to run again."""

import datetime as dt
from zoneinfo import ZoneInfo

from .models import BadgeRequirement, TrustedBadge

PARIS = ZoneInfo("Europe/Paris")
DEMO_ISSUER = "https://mooc-ia.example.fr/issuer"
DEMO_BADGE_CLASS = "https://mooc-ia.example.fr/badges/ia-fondamentaux"
DEMO_REQUIREMENT = "Module IA — Open Badge"


def load_badges_demo(year, semester, programmes) -> BadgeRequirement:
    """``year``: the AcademicYear (its start year gives 08/12); ``semester`` may be None."""
    trusted, _ = TrustedBadge.objects.get_or_create(
        issuer_uri=DEMO_ISSUER,
        badge_class_uri=DEMO_BADGE_CLASS,
        defaults={
            "issuer_name": "MOOC IA pour tous (démonstration)",
            "name": "MOOC IA — Fondamentaux de l'intelligence artificielle",
        },
    )
    requirement, _ = BadgeRequirement.objects.get_or_create(
        name=DEMO_REQUIREMENT,
        academic_year=year,
        defaults={
            "semester": semester,
            "deadline": dt.datetime(year.start.year, 12, 8, 23, 59, tzinfo=PARIS),
            "instructions": (
                "Suivez le MOOC « IA pour tous » (environ 6 heures), puis téléchargez le "
                "badge obtenu à la fin (l'image PNG ou SVG, telle quelle) et déposez-la ici. "
                "Le badge n'est pas noté mais il est exigé pour valider le cours."
            ),
        },
    )
    requirement.programmes.add(*programmes)
    requirement.trusted_badges.add(trusted)
    return requirement
