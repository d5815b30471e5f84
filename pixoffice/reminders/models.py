"""A reminder rule: a target (a campaign's or a badge's deadline, a workshop's or a
certification session's start), how many days before, and to whom. A run per (rule,
occurrence) says it was done."""

import operator
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from certification.models import CertificationSession
from pixoffice.badges.models import BadgeRequirement
from pixoffice.events.models import Workshop
from pixoffice.mail.models import Batch

TARGETS = ["campaign", "badge_requirement", "workshop", "certification_session"]


def one_of(fields: list[str]) -> Q:
    """Exactly one of ``fields`` is set."""
    return reduce(
        operator.or_, (Q(**{f"{o}__isnull": o != field for o in fields}) for field in fields)
    )


class ReminderRule(models.Model):
    class Audience(models.TextChoices):
        NOT_JOINED = "not_joined", _("n'ont pas rejoint la campagne")
        NOT_SHARED = "not_shared", _("ont rejoint sans envoyer leurs résultats")
        BADGE_MISSING = "badge_missing", _("n'ont pas de badge validé")
        REGISTERED = "registered", _("sont inscrits à l'atelier")
        CONVOKED = "convoked", _("sont convoqué·e·s à la session de certification")

    name = models.CharField(_("intitulé"), max_length=200)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    badge_requirement = models.ForeignKey(
        BadgeRequirement, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    certification_session = models.ForeignKey(
        CertificationSession,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("session de certification"),
    )
    days_before = models.PositiveSmallIntegerField(_("jours avant"))
    audience = models.CharField(_("destinataires"), max_length=16, choices=Audience.choices)
    hold = models.BooleanField(
        _("retenir pour relecture"),
        default=False,
        help_text=_("Les courriels attendent qu'un membre de l'équipe libère l'envoi."),
    )
    active = models.BooleanField(_("actif"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("règle de rappel")
        verbose_name_plural = _("règles de rappel")
        constraints = [
            models.CheckConstraint(
                name="reminder_has_one_target",
                condition=one_of(TARGETS),
            )
        ]

    def __str__(self):
        return self.name


class ReminderRun(models.Model):
    """One occurrence of a rule; ``completed`` once every message is in the outbox."""

    rule = models.ForeignKey(ReminderRule, on_delete=models.CASCADE, related_name="runs")
    occurrence = models.DateField(_("date du rappel"))
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+")
    targeted = models.PositiveIntegerField(_("étudiants visés"), default=0)
    completed = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "occurrence"], name="one_run_per_occurrence")
        ]

    def __str__(self):
        return f"{self.rule} — {self.occurrence}"
