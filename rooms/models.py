"""Sites (campuses) and the computer rooms certified by Pix where sessions take place."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class Site(models.Model):
    """A campus: the « Nom du site » Pix Certif asks for."""

    name = models.CharField(_("campus"), max_length=120, unique=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self):
        return self.name


class Room(models.Model):
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("site")
    )
    building = models.CharField(_("bâtiment"), max_length=120, blank=True)
    name = models.CharField(_("salle"), max_length=120)
    seats = models.PositiveSmallIntegerField(_("places"))
    certified_until = models.DateField(
        _("certifiée Pix jusqu'au"),
        null=True,
        blank=True,
        help_text=_("Vide : la salle n'est pas certifiée et ne peut accueillir de session."),
    )
    wheelchair_accessible = models.BooleanField(_("accessible en fauteuil roulant"), default=False)
    notes = models.TextField(_("remarques"), blank=True)

    class Meta:
        ordering = ["site__name", "building", "name"]
        verbose_name = _("salle")
        verbose_name_plural = _("salles")
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gt=0), name="room_has_seats"),
            models.UniqueConstraint(fields=["site", "name"], name="room_name_unique_per_site"),
        ]

    def __str__(self):
        return " — ".join(filter(None, [str(self.site), self.building, self.name]))

    def is_certified_on(self, day: dt.date) -> bool:
        return self.certified_until is not None and day <= self.certified_until
