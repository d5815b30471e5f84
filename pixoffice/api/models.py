"""API tokens: one per integration (the student information system, a dashboard),
created by an admin, limited to programmes, read-only."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pixoffice.accounts.models import Programme


class ApiToken(models.Model):
    """A secret an integration sends as ``Authorization: Bearer <secret>``.

    Only the SHA-256 of the secret is stored (``secret_hash``): the secret is shown once,
    when the token is created, and cannot be read back. The secret has 256 random bits,
    so a plain hash (no slow key derivation) is enough to make a stolen table useless.
    ``prefix`` (the secret's first characters) tells tokens apart in the lists.
    """

    name = models.CharField(
        _("nom"),
        max_length=120,
        help_text=_("L'application qui s'en sert, ex. « Pégase — remontée des notes »."),
    )
    prefix = models.CharField(_("début du secret"), max_length=16)
    secret_hash = models.CharField(max_length=64, unique=True)
    programmes = models.ManyToManyField(
        Programme, related_name="api_tokens", verbose_name=_("formations")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("révoqué par"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True)
                | models.Q(revoked_at__gte=models.F("created_at")),
                name="api_token_revoked_after_creation",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True)
                | models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "active"
