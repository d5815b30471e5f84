"""Who may sit the Pix certification, and why not: the reason is shown to the student.

Three conditions (DESIGN.md §2): a certifiable profile (level 1 or more in at least
``MIN_CERTIFIABLE_COMPETENCES`` competences) in a share that counts; every profiles
collection campaign of the student's programme and year shared; no certification
obtained in the last ``VALIDITY_YEARS`` years (it is still valid).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.framework import MIN_CERTIFIABLE_COMPETENCES
from campaigns.models import Campaign, Share
from certification.models import CertificationResult
from pixoffice.accounts.models import Student

VALIDITY_YEARS = 3


@dataclass
class Eligibility:
    eligible: bool
    reasons: list[str] = field(default_factory=list)  # why not, in the reader's language
    valid_until: dt.date | None = None  # of the certification already obtained


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def eligibility(student: Student, *, today: dt.date | None = None) -> Eligibility:
    """The student's eligibility with every reason that stands in the way (three
    queries: the campaigns, their counting shares, the latest validated result)."""
    today = today or timezone.localdate()
    reasons = []
    campaigns = list(
        Campaign.objects.filter(
            programmes=student.programme_id,
            academic_year_id=student.academic_year_id,
            kind=Campaign.Kind.PROFILES_COLLECTION,
        ).order_by("deadline", "code")  # codes always in one order, even on one deadline
    )
    counting = list(
        Share.objects.filter(
            counts=True,
            participation__student=student,
            participation__campaign__in=campaigns,
        ).values_list("participation__campaign_id", "certifiable", "certifiable_count")
    )
    shared = {campaign_id for campaign_id, _c, _n in counting}
    missing = [c.code for c in campaigns if c.pk not in shared]
    if missing:
        reasons.append(
            _("Campagnes à envoyer d'abord : %(codes)s.") % {"codes": ", ".join(missing)}
        )
    certifiable = any(
        flag or (flag is None and (count or 0) >= MIN_CERTIFIABLE_COMPETENCES)
        for _campaign, flag, count in counting
    )
    if not certifiable:
        reasons.append(
            _(
                "Votre profil n'est pas encore certifiable : il faut le niveau 1 au moins "
                "dans %(n)s compétences."
            )
            % {"n": MIN_CERTIFIABLE_COMPETENCES}
        )
    obtained = (
        CertificationResult.objects.filter(
            student=student,
            status=CertificationResult.Status.VALIDATED,
            taken_on__isnull=False,
        )
        .order_by("-taken_on")
        .values_list("taken_on", flat=True)
        .first()
    )
    valid_until = _years_later(obtained, VALIDITY_YEARS) if obtained else None
    if valid_until and valid_until > today:
        reasons.append(
            _("Vous avez obtenu la certification le %(day)s : elle est valable jusqu'au %(until)s.")
            % {"day": obtained.strftime("%d/%m/%Y"), "until": valid_until.strftime("%d/%m/%Y")}
        )
    return Eligibility(not reasons, reasons, valid_until)
