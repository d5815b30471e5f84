"""The calendar's own rows: a student's secret feed address, and the version of each
calendar item (the iCal ``SEQUENCE``, bumped when its time moves)."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pixoffice.accounts.models import Student


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A student's secret feed URL. Revoking it gives a new token: the old URL is a 404."""

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(_("jeton"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("abonnement au calendrier")
        verbose_name_plural = _("abonnements au calendrier")

    def __str__(self):
        return str(self.student)


class ItemVersion(models.Model):
    """Where and when an item of the feed was last seen; ``sequence`` counts its moves
    (a new time or a new room)."""

    uid = models.CharField(max_length=200, unique=True)
    start = models.DateTimeField()
    end = models.DateTimeField(null=True)
    # null: not seen since places were remembered (a first sighting never counts as a move)
    place = models.CharField(max_length=300, null=True)  # noqa: DJ001 (None ≠ "": unknown)
    sequence = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.uid} #{self.sequence}"
