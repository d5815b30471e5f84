"""The Pix Certif mass session import CSV (« import en masse », pix-formats §5b).

Exactly Pix's columns in Pix's order, one row per candidate with its session's
columns repeated; UTF-8 with BOM and ``;`` (``pixoffice.tabular``, which also
neutralises formula-like cells). A university is a non-SCO centre: the billing
columns are present.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from pixoffice.accounts.models import User
from pixoffice.tabular import to_csv_bytes

from .models import Candidate, CertificationSession

PIX_CERTIF_HEADER = [
    "Numéro de session préexistante",
    "* Nom du site",
    "* Nom de la salle",
    "* Date de début (format: JJ/MM/AAAA)",
    "* Heure de début (heure locale format: HH:MM)",
    "* Surveillant(s)",
    "Observations (optionnel)",
    "* Nom de naissance",
    "* Prénom",
    "* Date de naissance (format: JJ/MM/AAAA)",
    "* Sexe (M ou F)",
    "Code INSEE de la commune de naissance",
    "Code postal de la commune de naissance",
    "Nom de la commune de naissance",
    "* Pays de naissance",
    "E-mail du destinataire des résultats (formateur, enseignant…)",
    "E-mail de convocation",
    "Identifiant externe",
    "Temps majoré ? (exemple format: 33%)",
    "* Tarification part Pix (Gratuite, Prépayée ou Payante)",
    "Code de prépaiement (si Tarification part Pix Prépayée)",
]
FRANCE = "france"
ABROAD_INSEE = "99"


def billing() -> str:
    """« Tarification part Pix » of every candidate (setting ``PIX_CERTIF_BILLING``)."""
    return getattr(settings, "PIX_CERTIF_BILLING", "Gratuite")


def born_abroad(student) -> bool:
    country = student.birth_country.strip().lower()
    return bool(country) and country != FRANCE


def missing_for_pix_certif(student) -> list[str]:
    """What Pix Certif would refuse for this candidate (empty list: nothing)."""
    missing = []
    if not (student.birth_name or student.last_name):
        missing.append(_("nom de naissance"))
    if not student.first_name:
        missing.append(_("prénom"))
    if student.birth_date is None:
        missing.append(_("date de naissance"))
    if student.sex not in ("M", "F"):
        missing.append(_("sexe"))
    if not student.birth_country.strip():
        missing.append(_("pays de naissance"))
    if born_abroad(student):
        if not student.birth_place:
            missing.append(_("commune de naissance"))
    elif not (student.birth_insee_code or (student.birth_postal_code and student.birth_place)):
        missing.append(_("code INSEE, ou code postal et commune de naissance"))
    return missing


def export_candidates(sessions):
    """The candidates of ``sessions`` (a queryset), in session then name order."""
    return (
        Candidate.objects.filter(session__in=sessions)
        .select_related("student", "session__room__site")
        .prefetch_related(
            Prefetch(
                "session__invigilators",
                queryset=User.objects.order_by("last_name", "first_name"),
            )
        )
        .order_by(
            "session__starts_at",
            "session__room__name",
            "student__last_name",
            "student__first_name",
            "pk",
        )
    )


def _invigilators(session: CertificationSession) -> str:
    return ", ".join(u.get_full_name() or u.email for u in session.invigilators.all())


def pix_certif_rows(candidates):
    for candidate in candidates:
        session, student = candidate.session, candidate.student
        start = timezone.localtime(session.starts_at)
        abroad = born_abroad(student)
        yield [
            session.pix_session_number or "",
            session.room.site.name,
            session.room.name,
            start.strftime("%d/%m/%Y"),
            start.strftime("%H:%M"),
            _invigilators(session),
            session.notes,
            student.birth_name or student.last_name,
            student.first_name,
            student.birth_date.strftime("%d/%m/%Y") if student.birth_date else "",
            student.sex,
            ABROAD_INSEE if abroad else student.birth_insee_code,
            "" if abroad else student.birth_postal_code,
            student.birth_place,
            student.birth_country,
            "",
            student.email,
            student.student_number,
            f"{candidate.extra_time_percent}%" if candidate.extra_time_percent else "",
            billing(),
            "",
        ]


def pix_certif_csv(candidates) -> bytes:
    return to_csv_bytes(PIX_CERTIF_HEADER, pix_certif_rows(candidates))
