"""Demo data: the Saint-Étienne AI-module badge, due 08/12 23:59 (Paris), trusted from
an invented MOOC issuer. Safe to run again."""

import datetime as dt
import hashlib
import io
import json
import struct
import zlib
from zoneinfo import ZoneInfo

from django.utils import timezone

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


def bake_demo_badge(email: str, *, salt: str = "pixoffice-demo") -> bytes:
    """A PNG of the demo MOOC's badge with an Open Badges 2.0 assertion for ``email``
    baked in (``iTXt`` chunk ``openbadges``), to try the upload on the demo site."""
    from PIL import Image, ImageDraw  # noqa: PLC0415 (heavy: only the demo command draws)

    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), fill=(11, 79, 138, 255))
    draw.ellipse((40, 40, 200, 200), fill=(255, 200, 0, 255))
    draw.text((104, 112), "IA", fill=(11, 79, 138, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    png = buffer.getvalue()
    identity = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"https://mooc-ia.example.fr/assertions/{identity[:16]}",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": f"sha256${identity}",
        },
        "badge": {
            "id": DEMO_BADGE_CLASS,
            "type": "BadgeClass",
            "name": "IA — Fondamentaux",
            "issuer": {"id": DEMO_ISSUER, "type": "Profile", "name": "MOOC IA pour tous"},
        },
        "verification": {"type": "hosted"},
        "issuedOn": timezone.now().replace(microsecond=0).isoformat(),
    }
    body = b"openbadges\0\0\0\0\0" + json.dumps(assertion, ensure_ascii=False).encode()
    chunk = (
        struct.pack(">I", len(body))
        + b"iTXt"
        + body
        + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    )
    ihdr_end = 8 + 12 + struct.unpack(">I", png[8:12])[0]
    return png[:ihdr_end] + chunk + png[ihdr_end:]
