"""The kinds of personal data a purge removes, with the rule the admin page states."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    rule: str  # what the admin page says of its retention
    has_files: bool = False


KINDS = [
    Kind(
        "students",
        gettext_lazy("Étudiant·e·s (identité, naissance, adresse, compte)"),
        gettext_lazy("supprimé·e·s avec leur compte quand leur dernière année est purgée"),
    ),
    Kind(
        "participations",
        gettext_lazy("Participations aux campagnes Pix"),
        gettext_lazy("supprimées avec l'année de leur campagne"),
    ),
    Kind("shares", gettext_lazy("Envois Pix"), gettext_lazy("supprimés avec leur participation")),
    Kind(
        "result_imports",
        gettext_lazy("Exports Pix Orga déposés"),
        gettext_lazy("supprimés (fichier compris) avec l'année de leur campagne"),
        has_files=True,
    ),
    Kind(
        "roster_imports",
        gettext_lazy("Listes d'étudiants déposées"),
        gettext_lazy("supprimées (fichier compris) avec leur année"),
        has_files=True,
    ),
    Kind(
        "badge_submissions",
        gettext_lazy("Badges déposés"),
        gettext_lazy("supprimés (fichier compris) avec l'année du badge exigé"),
        has_files=True,
    ),
    Kind("notes", gettext_lazy("Notes"), gettext_lazy("supprimées avec l'année du barème")),
    Kind(
        "note_changes",
        gettext_lazy("Historique des notes"),
        gettext_lazy("supprimé avec sa note"),
    ),
    Kind(
        "candidates",
        gettext_lazy("Candidatures à la certification"),
        gettext_lazy("supprimées avec l'année de la session"),
    ),
    Kind(
        "allocation_lines",
        gettext_lazy("Propositions de répartition (lignes)"),
        gettext_lazy("supprimées avec l'année de la proposition"),
    ),
    Kind(
        "certification_results",
        gettext_lazy("Résultats de certification"),
        gettext_lazy("supprimés avec l'année de la session (ou de l'étudiant·e)"),
    ),
    Kind(
        "results_imports",
        gettext_lazy("Fichiers de résultats de certification"),
        gettext_lazy("supprimés (fichier compris) s'ils ont été déposés avant la fin de l'année"),
        has_files=True,
    ),
    Kind(
        "messages",
        gettext_lazy("Courriels (adresse, texte)"),
        gettext_lazy("supprimés avec l'étudiant·e destinataire"),
    ),
]
