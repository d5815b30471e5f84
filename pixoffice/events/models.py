"""Support sessions, workshops and office hours.

Each takes place in a room of ``rooms`` (``room``) or at a free-text place (``place``:
a bureau, « en ligne »), exactly one of the two (a check constraint); ``location`` is
what the pages and the feed show. ``sequence`` counts the moves of an event, for the
iCal feed's ``SEQUENCE``.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pixoffice.accounts.models import Programme, Student
from rooms.models import Room

# a room of ``rooms`` or a free-text place, never both, never neither
ONE_PLACE = (Q(room__isnull=False) & Q(place="")) | (Q(room__isnull=True) & ~Q(place=""))


class Located(models.Model):
    room = models.ForeignKey(
        Room,
        verbose_name=_("salle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s_set",
    )
    place = models.CharField(
        _("autre lieu"),
        max_length=200,
        blank=True,
        help_text=_("Si ce n'est pas une salle de la liste : un bureau, « en ligne »…"),
    )

    class Meta:
        abstract = True

    @property
    def location(self) -> str:
        return str(self.room) if self.room_id else self.place


class Event(Located):
    title = models.CharField(_("intitulé"), max_length=200)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    sequence = models.PositiveIntegerField(_("version"), default=0, editable=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta(Located.Meta):
        abstract = True
        ordering = ["start", "pk"]

    def __str__(self):
        return self.title


class SupportSession(Event):
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("formation"),
        on_delete=models.CASCADE,
        related_name="support_sessions",
    )

    class Meta(Event.Meta):
        verbose_name = _("séance d'accompagnement")
        verbose_name_plural = _("séances d'accompagnement")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="session_ends_after"
            ),
            models.CheckConstraint(condition=ONE_PLACE, name="session_room_or_place"),
        ]


class Workshop(Event):
    programme = models.ForeignKey(
        Programme, verbose_name=_("formation"), on_delete=models.CASCADE, related_name="workshops"
    )
    description = models.TextField(_("description"), blank=True)
    seats = models.PositiveIntegerField(_("places"))
    registration_opens = models.DateTimeField(
        _("ouverture des inscriptions"), null=True, blank=True
    )

    class Meta(Event.Meta):
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="workshop_ends_after"
            ),
            models.CheckConstraint(condition=Q(seats__gt=0), name="workshop_has_seats"),
            models.CheckConstraint(condition=ONE_PLACE, name="workshop_room_or_place"),
        ]


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("inscrit·e")
        WAITING = "waiting", _("en liste d'attente")
        CANCELLED = "cancelled", _("annulée")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="registrations")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(_("état"), max_length=12, choices=Status.choices)
    # the waiting list's order: when the student asked
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "student"],
                condition=~Q(status="cancelled"),
                name="one_live_registration_per_student",
            )
        ]

    def __str__(self):
        return f"{self.student} — {self.workshop} ({self.get_status_display()})"


class OfficeHours(Located):
    """A recurring slot: the first occurrence, an RRULE (RFC 5545, e.g.
    ``FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270630T235959Z``) and the dates without it."""

    title = models.CharField(_("intitulé"), max_length=200)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("formation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Vide : ouvert aux étudiants de toutes les formations."),
        related_name="office_hours",
    )
    first_start = models.DateTimeField(_("première séance, début"))
    first_end = models.DateTimeField(_("première séance, fin"))
    rrule = models.CharField(_("règle de répétition"), max_length=300)
    exdates = models.JSONField(_("dates sans permanence"), default=list, blank=True)
    sequence = models.PositiveIntegerField(_("version"), default=0, editable=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("permanence")
        verbose_name_plural = _("permanences")
        ordering = ["first_start", "pk"]
        constraints = [
            models.CheckConstraint(condition=ONE_PLACE, name="office_hours_room_or_place")
        ]

    def __str__(self):
        return self.title
