"""The Pix framework ("référentiel") as data: 5 domains, 16 competences, levels.

Names are exactly as Pix writes them in its exports (U+2019 apostrophes,
"multimedia" without accent). The highest open level is a setting
(``PIX_MAX_REACHABLE_LEVEL``, 7 today): never hard-code 640, 896 or 1024.
"""

PIX_PER_LEVEL = 8
FRAMEWORK_LEVELS = 8  # levels of the framework; only PIX_MAX_REACHABLE_LEVEL are open
MIN_CERTIFIABLE_COMPETENCES = 5

DOMAINS = [
    ("1", "Information et données"),
    ("2", "Communication et collaboration"),
    ("3", "Création de contenu"),
    ("4", "Protection et sécurité"),
    ("5", "Environnement numérique"),
]

COMPETENCES = [
    ("1.1", "Mener une recherche et une veille d’information"),
    ("1.2", "Gérer des données"),
    ("1.3", "Traiter des données"),
    ("2.1", "Interagir"),
    ("2.2", "Partager et publier"),
    ("2.3", "Collaborer"),
    ("2.4", "S’insérer dans le monde numérique"),
    ("3.1", "Développer des documents textuels"),
    ("3.2", "Développer des documents multimedia"),
    ("3.3", "Adapter les documents à leur finalité"),
    ("3.4", "Programmer"),
    ("4.1", "Sécuriser l’environnement numérique"),
    ("4.2", "Protéger les données personnelles et la vie privée"),
    ("4.3", "Protéger la santé, le bien-être et l’environnement"),
    ("5.1", "Résoudre des problèmes techniques"),
    ("5.2", "Construire un environnement numérique"),
]

LEVEL_LABELS = {
    0: "non évalué",
    1: "novice",
    2: "novice",
    3: "indépendant",
    4: "indépendant",
    5: "avancé",
    6: "avancé",
    7: "expert",
    8: "expert",
}


def level_label(level: int | None) -> str:
    return LEVEL_LABELS.get(level or 0, "")


def install_framework(domain_model, competence_model) -> None:
    """Create or update the 16 competences (used by the data migration, and by tests
    whose database is flushed between them)."""
    domains = {}
    for code, title in DOMAINS:
        domains[code], _ = domain_model.objects.update_or_create(
            code=code, defaults={"title": title}
        )
    for position, (code, name) in enumerate(COMPETENCES, start=1):
        competence_model.objects.update_or_create(
            code=code,
            defaults={"name": name, "domain": domains[code.split(".")[0]], "position": position},
        )
