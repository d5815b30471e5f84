"""What every import keeps (``UploadedBatch``: the original file, who sent it, what it
did, why it failed) and the roster import's own batch."""

import hashlib

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .people import AcademicYear, User


class BatchFailure(models.TextChoices):
    """Why applying a batch failed (``UploadedBatch.failure_reason``); nothing was written."""

    ERROR = (
        "error",
        _(
            "une erreur inattendue a interrompu l'application (elle est consignée dans le "
            "journal du serveur)"
        ),
    )
    DATABASE = "database", _("la connexion à la base de données a été perdue pendant l'application")
    QUEUE = "queue", _("la file de tâches est indisponible")
    INTERRUPTED = (
        "interrupted",
        _(
            "interrompu : l'application n'a pas abouti dans le délai prévu (tâche perdue ou "
            "serveur redémarré)"
        ),
    )


class UploadedBatch(models.Model):
    """What every import keeps: the original file, who sent it, when, and what it did.

    Subclasses add their ``file`` (each in its own folder), ``status`` (with
    ``previewed``, ``queued``, ``applied``, ``refused`` and ``failed``) and links.
    ``pixoffice.accounts.batches`` claims, dispatches and takes back stale batches.
    """

    original_name = models.CharField(_("nom du fichier"), max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    summary = models.JSONField(_("bilan"), default=dict, blank=True)
    applied_at = models.DateTimeField(_("appliqué le"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    failure_reason = models.CharField(
        _("raison de l'échec"), max_length=16, choices=BatchFailure.choices, blank=True
    )

    class Meta:
        abstract = True
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.original_name} ({self.uploaded_at:%d/%m/%Y %H:%M})"

    @property
    def refusal(self) -> str:
        """Why the file was refused: its first error, with its line."""
        errors = self.summary.get("errors") or []
        if not errors:
            return ""
        first = errors[0]
        text = (
            _("ligne %(row)s : %(message)s") % {"row": first["row"], "message": first["message"]}
            if first.get("row")
            else first["message"]
        )
        more = len(errors) - 1
        if more:
            text += " " + ngettext("(et %(n)s autre erreur)", "(et %(n)s autres erreurs)", more) % {
                "n": more
            }
        return text

    @classmethod
    def keep(cls, data: bytes, *, name: str, by, **fields):
        """Store an uploaded file as a new batch (not applied yet).

        The file is written, then the row; if the row cannot be saved the file is
        removed, so that no file is ever left in the storage without its row. Call it
        outside a transaction (as the views and commands do): a rollback after it
        returns would leave the file behind."""
        batch = cls(
            original_name=name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=by,
            **fields,
        )
        batch.file.save(name, ContentFile(data), save=False)
        try:
            with transaction.atomic():
                batch.save()
        except BaseException:
            batch.file.delete(save=False)
            raise
        return batch


class RosterImport(UploadedBatch):
    """One uploaded roster file."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Aperçu, en attente de confirmation")
        QUEUED = "queued", _("En cours d'application")
        APPLIED = "applied", _("Appliqué")
        REFUSED = "refused", _("Refusé")
        FAILED = "failed", _("Échec")
        CANCELLED = "cancelled", _("Annulé")
        UNCHANGED = "unchanged", _("Rien de nouveau")

    file = models.FileField(_("fichier"), upload_to="rosters/%Y/%m/")
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("année")
    )
    mapping = models.JSONField(_("correspondance des colonnes"), default=dict)
    restore_zeros = models.BooleanField(
        _("zéros en tête rétablis"),
        default=False,
        help_text=_(
            "Les numéros dont Excel semble avoir supprimé les zéros en tête sont complétés."
        ),
    )
    status = models.CharField(
        _("état"), max_length=16, choices=Status.choices, default=Status.PREVIEWED
    )

    class Meta(UploadedBatch.Meta):
        verbose_name = _("import de liste d'étudiants")
        verbose_name_plural = _("imports de listes d'étudiants")
