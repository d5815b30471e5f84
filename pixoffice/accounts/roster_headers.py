"""The columns of a roster file: the fields pixoffice reads, which are required, and
the header spellings of university extracts (Apogée, Pégase…) that name them.

Knows no Django.
"""

import re
import unicodedata

# field → (French label, required)
FIELDS: dict[str, tuple[str, bool]] = {
    "student_number": ("Numéro étudiant", True),
    "last_name": ("Nom", True),
    "first_name": ("Prénom", True),
    "programme": ("Formation", True),
    "email": ("Courriel", False),
    "group": ("Groupe", False),
    "birth_date": ("Date de naissance", False),
    "birth_place": ("Lieu de naissance", False),
    "birth_name": ("Nom de naissance", False),
    "ine": ("INE", False),
    "extra_time_percent": ("Tiers-temps", False),
    # what Pix Certif asks of a candidate (pix-formats §5b)
    "sex": ("Sexe", False),
    "birth_insee_code": ("Code INSEE de naissance", False),
    "birth_postal_code": ("Code postal de naissance", False),
    "birth_country": ("Pays de naissance", False),
}
REQUIRED = [name for name, (_label, required) in FIELDS.items() if required]

# Presets: header spellings met in university extracts, compared without case/accents.
PRESETS: dict[str, dict[str, list[str]]] = {
    "scolarite": {
        "student_number": [
            "numéro étudiant",
            "n° étudiant",
            "numero etudiant",
            "num etudiant",
            "code étudiant",
            "cod_etu",
            "identifiant",
        ],
        "last_name": ["nom", "nom d'usage", "nom usuel", "lib_nom_usu_ind"],
        "first_name": ["prénom", "prenom", "lib_pr1_ind"],
        "programme": ["formation", "diplôme", "programme", "parcours", "lib_etp"],
        "email": [
            "courriel",
            "email",
            "e-mail",
            "mail",
            "adresse électronique",
            "mail universitaire",
        ],
        "group": ["groupe", "groupe td", "td"],
        "birth_date": ["date de naissance", "né le", "date_nai_ind"],
        "birth_place": ["lieu de naissance", "ville de naissance", "commune de naissance"],
        "birth_name": ["nom de naissance", "nom patronymique", "lib_nom_pat_ind"],
        "ine": ["ine", "numéro ine", "cod_nne_ind"],
        "extra_time_percent": [
            "tiers-temps",
            "tiers temps",
            "temps supplémentaire",
            "aménagement",
            "majoration",
            "temps majoré",
            "majoration de temps",
            "temps supplémentaire (%)",
        ],
        "sex": ["sexe", "genre", "cod_sex_etu", "sexe (m ou f)"],
        "birth_insee_code": [
            "code insee de naissance",
            "code insee naissance",
            "code insee de la commune de naissance",
            "code commune de naissance",
            "cod_com_nai",
            "code insee",
        ],
        "birth_postal_code": [
            "code postal de naissance",
            "code postal naissance",
            "code postal de la commune de naissance",
            "cp naissance",
        ],
        "birth_country": ["pays de naissance", "pays naissance", "lib_pay_nai", "pays natal"],
    }
}


def normalise_header(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\s_]+", " ", text.lower().replace("’", "'")).strip()


def guess_mapping(header: list[str], preset: str = "scolarite") -> dict[str, int]:
    """Field → column index, for the columns whose header the preset knows."""
    known = {
        normalise_header(spelling): field
        for field, spellings in PRESETS[preset].items()
        for spelling in spellings
    }
    mapping: dict[str, int] = {}
    for index, title in enumerate(header):
        field = known.get(normalise_header(title))
        if field and field not in mapping:
            mapping[field] = index
    return mapping


def missing_fields(mapping: dict[str, int]) -> list[str]:
    return [FIELDS[name][0] for name in REQUIRED if name not in mapping]
