"""Slots a student declares they cannot attend (a class, an exam, a job): the
allocation avoids them, and the student page warns when a session falls on one."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pixoffice.accounts.models import Student

from .models import Unavailability

MAX_DAYS = 31  # one slot at most this long: a longer absence is several slots
MAX_SLOTS = 30  # per student, left to come


def check_slot(*, starts_at: dt.datetime, ends_at: dt.datetime, now=None) -> dict:
    """The French message per field of what is wrong with a slot (empty: fine)."""
    now = now or timezone.now()
    if ends_at <= starts_at:
        return {"ends_at": _("La fin du créneau doit être après son début.")}
    if ends_at <= now:
        return {"starts_at": _("Ce créneau est déjà passé : indiquez un créneau à venir.")}
    if ends_at - starts_at > dt.timedelta(days=MAX_DAYS):
        return {
            "ends_at": ngettext(
                "Un créneau ne peut pas dépasser %(n)d jour : déclarez-en plusieurs.",
                "Un créneau ne peut pas dépasser %(n)d jours : déclarez-en plusieurs.",
                MAX_DAYS,
            )
            % {"n": MAX_DAYS}
        }
    return {}


def declare_unavailability(
    *, student: Student, starts_at, ends_at, reason: str = "", now=None
) -> Unavailability:
    now = now or timezone.now()
    errors = check_slot(starts_at=starts_at, ends_at=ends_at, now=now)
    if errors:
        raise ValidationError(errors)
    if student.certification_unavailabilities.filter(ends_at__gt=now).count() >= MAX_SLOTS:
        raise ValidationError(
            ngettext(
                "Vous avez déjà déclaré %(n)d créneau à venir : supprimez-le d'abord.",
                "Vous avez déjà déclaré %(n)d créneaux à venir : supprimez-en d'abord.",
                MAX_SLOTS,
            )
            % {"n": MAX_SLOTS}
        )
    return Unavailability.objects.create(
        student=student, starts_at=starts_at, ends_at=ends_at, reason=reason.strip()
    )


def remove_unavailability(*, student: Student, unavailability_id: int) -> int:
    """Delete one of the student's own slots; returns how many were deleted (0 or 1)."""
    deleted, _by_model = Unavailability.objects.filter(
        pk=unavailability_id, student=student
    ).delete()
    return deleted


def overlapping(slots, starts_at: dt.datetime, ends_at: dt.datetime) -> list:
    """The slots among ``slots`` that meet ``[starts_at, ends_at)``."""
    return [s for s in slots if s.starts_at < ends_at and starts_at < s.ends_at]
