"""What the API answers: keys in English snake_case, descriptions in French.

Dates and times are ISO 8601 with the Europe/Paris offset (« 2026-10-27T23:59:00+01:00 »);
notes and scales are decimal strings (« 12.50 »), exact, never floats.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Generic, TypeVar
from zoneinfo import ZoneInfo

from ninja import Field, Schema
from pydantic import AfterValidator

PARIS = ZoneInfo("Europe/Paris")
T = TypeVar("T")


def _in_paris(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(PARIS)


ParisDateTime = Annotated[dt.datetime, AfterValidator(_in_paris)]


class Page(Schema, Generic[T]):
    count: int = Field(description="Nombre total d'éléments (toutes pages).")
    limit: int = Field(description="Taille de la page appliquée (plafonnée).")
    offset: int = Field(description="Rang du premier élément de la page (à partir de 0).")
    items: list[T]


class ProgrammeOut(Schema):
    id: int
    name: str = Field(description="Nom de la formation, ex. « L2 Histoire ».")
    code: str = Field(description="Code de la formation (vide s'il n'est pas renseigné).")
    student_count: int = Field(description="Étudiants inscrits (hors départs).")


class StudentOut(Schema):
    student_number: str = Field(description="Numéro étudiant (texte : zéros en tête gardés).")
    ine: str
    last_name: str
    first_name: str
    email: str
    programme: str = Field(description="Nom de la formation.")
    group: str
    academic_year: str | None = Field(description="Année universitaire, ex. « 2026-2027 ».")
    left_on: dt.date | None = Field(description="A quitté la formation le (sinon null).")


class CampaignOut(Schema):
    code: str = Field(description="Code Pix de la campagne, ex. « MJPECY231 ».")
    name: str
    kind: str = Field(
        description="profiles_collection (collecte de profils) ou assessment (évaluation)."
    )
    academic_year: str
    semester: int | None = Field(description="Numéro du semestre, ou null.")
    opens_on: dt.date
    deadline: ParisDateTime = Field(description="Date limite (heure de Paris).")
    target_level: int = Field(description="Niveau visé sur les compétences attendues.")
    counting_rule: str = Field(description="Envoi retenu : last_before_deadline, best ou last.")
    competences: list[str] = Field(description="Codes des compétences attendues, ex. « 1.1 ».")
    programmes: list[str] = Field(description="Formations du jeton concernées par la campagne.")


class ShareOut(Schema):
    shared_at: ParisDateTime = Field(description="Envoyé le (heure de Paris).")
    counts: bool = Field(description="Vrai : l'envoi retenu par la règle de la campagne.")
    is_late: bool = Field(description="Envoyé après la date limite.")
    total_pix: int | None
    certifiable: bool | None
    mastery_rate: float | None = Field(description="Évaluation : taux de maîtrise (0 à 1).")
    stage: int | None = Field(description="Évaluation : palier atteint.")
    stage_count: int | None
    results: dict[str, int | None] = Field(
        description="Par compétence attendue : niveau (collecte) ou maîtrise en % (évaluation)."
    )
    badges: dict[str, bool] = Field(description="Évaluation : badges thématiques obtenus.")


class ParticipationOut(Schema):
    student_number: str
    last_name: str
    first_name: str
    programme: str
    status: str = Field(description="not_joined, started, shared ou shared_late.")
    status_label: str = Field(description="Le statut en toutes lettres (français).")
    share_count: int = Field(description="Nombre d'envois.")
    share: ShareOut | None = Field(
        description="L'envoi qui compte (à défaut le dernier envoi), null sans envoi."
    )


class SchemeOut(Schema):
    id: int
    name: str
    academic_year: str
    semester: int | None
    scale: Decimal = Field(description="Barème, ex. « 20.00 ».")


class NoteOut(Schema):
    student_number: str
    last_name: str
    first_name: str
    programme: str
    scheme: SchemeOut
    value: Decimal | None = Field(description="Note publiée (null en cas d'absence).")
    result: str = Field(description="validated, not_validated ou absent.")
    absence_code: str = Field(description="Code d'absence publié, ex. « ABI » (sinon vide).")
    published_at: ParisDateTime


class BadgeRequirementOut(Schema):
    id: int
    name: str
    academic_year: str
    semester: int | None
    deadline: ParisDateTime
    programmes: list[str] = Field(description="Formations du jeton concernées.")


class BadgeStatusOut(Schema):
    student_number: str
    last_name: str
    first_name: str
    programme: str
    status: str = Field(description="none (rien déposé), verified, review, accepted ou rejected.")
    holds_badge: bool = Field(description="Vrai si le dépôt en cours est vérifié ou accepté.")
    uploaded_at: ParisDateTime | None
    reviewed_at: ParisDateTime | None


class StudentBadgeOut(Schema):
    requirement: BadgeRequirementOut
    status: str
    holds_badge: bool
    uploaded_at: ParisDateTime | None


class ErrorOut(Schema):
    detail: str
