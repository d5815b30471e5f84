"""The outbox: one ``Message`` row per email, with a unique key so that it exists once
and a status so that it is sent at most once (docs/architecture.md, « Outbox »)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Batch(models.Model):
    """A bulk send (a reminder run, a convocation mailing): previewed, held, released."""

    label = models.CharField(_("intitulé"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("envoi groupé")
        verbose_name_plural = _("envois groupés")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.label


class Message(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("retenu")
        PENDING = "pending", _("en attente")
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("en échec")
        # claimed by a worker that never said whether it sent it: a person decides
        UNCERTAIN = "uncertain", _("incertain")

    key = models.CharField(_("clé"), max_length=200, unique=True)
    kind = models.CharField(_("modèle"), max_length=60)
    language = models.CharField(_("langue"), max_length=10, default="fr")
    to = models.EmailField(_("destinataire"))
    subject = models.CharField(_("objet"), max_length=255)
    text = models.TextField(_("texte"))
    html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), default=timezone.now)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    student = models.ForeignKey(
        "accounts.Student",
        verbose_name=_("étudiant·e"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("envoi groupé"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )

    class Meta:
        verbose_name = _("courriel")
        verbose_name_plural = _("courriels")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # what the sender looks for: due pending rows, oldest first
            models.Index(
                fields=["next_attempt_at", "id"],
                name="mail_due_pending",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"


class Attachment(models.Model):
    """A file sent with a message (a convocation's ``.ics``), stored with it so that a
    retry sends exactly what was queued."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("courriel")
    )
    filename = models.CharField(_("nom du fichier"), max_length=255)
    mimetype = models.CharField(_("type"), max_length=100)
    content = models.BinaryField(_("contenu"))

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["pk"]

    def __str__(self):
        return self.filename
