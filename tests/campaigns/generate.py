"""Generate Pix Orga profiles-collection exports of any size (tests and bench/)."""

import random

from campaigns.framework import COMPETENCES


def profiles_export(
    rows: int, *, code: str = "URRTVG494", seed: int = 1, twice: float = 0.05, numbers=None
) -> bytes:
    """``rows`` participants (``twice`` of them with two sendings), 16 competences,
    the SUP layout (Groupe, Numéro Étudiant, external id)."""
    rng = random.Random(seed)
    header = [
        "Nom de l'organisation",
        "ID Campagne",
        "Code",
        "Nom de la campagne",
        "Nom du Participant",
        "Prénom du Participant",
        "Groupe",
        "Numéro Étudiant",
        "Numéro étudiant",
        "Envoi (O/N)",
        "Date et heure de l'envoi (Europe/Paris)",
        "Nombre de pix total",
        "Certifiable (O/N)",
        "Nombre de compétences certifiables",
    ]
    for _code, name in COMPETENCES:
        header += [f"Niveau pour la compétence {name}", f"Nombre de pix pour la compétence {name}"]
    lines = [";".join(f'"{h}"' for h in header)]

    def shared_row(number, day):
        pix = [rng.randint(0, 56) for _ in COMPETENCES]
        levels = [min(p // 8, 7) for p in pix]
        count = sum(1 for level in levels if level >= 1)
        cells = [
            f'"{day:02d}/01/2026 10:{rng.randint(0, 59):02d}"',
            str(sum(pix)),
            '"Oui"' if count >= 5 else '"Non"',
            str(count),
        ]
        for level, p in zip(levels, pix, strict=True):
            cells += [str(level), str(p)]
        return cells

    for i in range(rows):
        number = numbers[i] if numbers else f"{30000000 + i:08d}"
        start = [
            '"Université de Exemple"',
            "574354",
            f'"{code}"',
            '"Campagne générée"',
            f'"Nom{i}"',
            f'"Prénom{i}"',
            '"L2 SED"',
            number,
            number,
        ]
        if i % 10 == 9:
            lines.append(";".join([*start, '"Non"', *['"NA"'] * (4 + 32)]))
            continue
        lines.append(";".join([*start, '"Oui"', *shared_row(number, 10)]))
        if rng.random() < twice:
            lines.append(";".join([*start, '"Oui"', *shared_row(number, 20)]))
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")
