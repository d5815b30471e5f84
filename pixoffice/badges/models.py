"""AI-module Open Badges: the allow-list, what a programme requires, what students upload."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from pixoffice.accounts.models import AcademicYear, Programme, Semester, Student

from . import rules as r
from .assertions import as_sentence


class TrustedBadge(models.Model):
    """A badge (or every badge of an issuer) that admins trust: the allow-list."""

    issuer_uri = models.CharField(
        _("identifiant de l'émetteur"),
        max_length=500,
        help_text=_("L'URL « id » du profil de l'émetteur, ex. https://mooc-ia.example.fr/issuer."),
    )
    issuer_name = models.CharField(_("nom de l'émetteur"), max_length=200)
    badge_class_uri = models.CharField(
        _("identifiant du badge"),
        max_length=500,
        blank=True,
        help_text=_("L'URL « id » de la BadgeClass ; vide : tout badge de cet émetteur."),
    )
    name = models.CharField(_("nom affiché"), max_length=200)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("badge reconnu")
        verbose_name_plural = _("badges reconnus")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_uri", "badge_class_uri"], name="one_trusted_badge_per_class"
            )
        ]

    def __str__(self):
        return self.name


class BadgeRequirement(RulesModel):
    """An Open Badge that students of some programmes must upload before a deadline."""

    name = models.CharField(_("nom"), max_length=200)
    academic_year = models.ForeignKey(
        AcademicYear,
        on_delete=models.PROTECT,
        related_name="badge_requirements",
        verbose_name=_("année universitaire"),
    )
    semester = models.ForeignKey(
        Semester,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="badge_requirements",
        verbose_name=_("semestre"),
    )
    programmes = models.ManyToManyField(
        Programme, related_name="badge_requirements", verbose_name=_("formations concernées")
    )
    deadline = models.DateTimeField(_("date limite de dépôt"))
    instructions = models.TextField(
        _("consignes"),
        blank=True,
        help_text=_("Où suivre le MOOC et comment télécharger le badge ; visible des étudiants."),
    )
    trusted_badges = models.ManyToManyField(
        TrustedBadge,
        related_name="requirements",
        blank=True,
        verbose_name=_("badges reconnus"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        ordering = ["deadline", "name"]
        verbose_name = _("badge exigé")
        verbose_name_plural = _("badges exigés")
        rules_permissions = {
            "view": r.can_view_requirement,
            "add": r.is_staff_or_admin,
            "change": r.can_manage_requirement,
            "delete": r.can_manage_requirement,
        }

    def __str__(self):
        return f"{self.name} ({self.academic_year})"

    @property
    def is_open(self) -> bool:
        return timezone.now() <= self.deadline


class BadgeSubmission(RulesModel):
    """One uploaded badge file. A re-upload is a new submission; the latest one of a
    (student, requirement) is the current one (``is_current``, unique among current)."""

    class Format(models.TextChoices):
        PNG = "png", _("image PNG")
        SVG = "svg", _("image SVG")
        JSON = "json", _("fichier JSON")

    class Status(models.TextChoices):
        VERIFIED = "verified", _("Vérifié")
        REVIEW = "review", _("À vérifier")
        ACCEPTED = "accepted", _("Accepté")
        REJECTED = "rejected", _("Refusé")

    HOLDING = (Status.VERIFIED, Status.ACCEPTED)  # the requirement is met

    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="badge_submissions",
        verbose_name=_("étudiant·e"),
    )
    requirement = models.ForeignKey(
        BadgeRequirement,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("badge exigé"),
    )
    is_current = models.BooleanField(_("dépôt en cours"), default=True)
    file = models.FileField(_("fichier"), upload_to="badges/%Y/%m/")
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(_("type de fichier"), max_length=4, choices=Format.choices)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices)
    reason = models.TextField(_("motif"), blank=True, help_text=_("Visible par l'étudiant·e."))
    findings = models.JSONField(
        _("constats de la vérification automatique"), default=list, blank=True
    )
    assertion = models.JSONField(_("assertion"), default=dict, blank=True)
    spec_version = models.CharField(_("version Open Badges"), max_length=8, blank=True)
    verification_method = models.CharField(_("mode de vérification"), max_length=16, blank=True)
    assertion_uri = models.CharField(_("identifiant de l'assertion"), max_length=500, blank=True)
    issuer_uri = models.CharField(_("identifiant de l'émetteur"), max_length=500, blank=True)
    issuer_name = models.CharField(_("émetteur"), max_length=200, blank=True)
    badge_class_uri = models.CharField(_("identifiant du badge"), max_length=500, blank=True)
    badge_name = models.CharField(_("badge"), max_length=200, blank=True)
    issued_on = models.DateTimeField(_("délivré le"), null=True, blank=True)
    expires_on = models.DateTimeField(_("expire le"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("examiné par"),
    )
    reviewed_at = models.DateTimeField(_("examiné le"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("dépôt de badge")
        verbose_name_plural = _("dépôts de badges")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "requirement"],
                condition=models.Q(is_current=True),
                name="one_current_badge_submission",
            )
        ]
        indexes = [
            models.Index(
                fields=["requirement", "status"],
                condition=models.Q(is_current=True),
                name="badge_current_status",
            )
        ]
        rules_permissions = {
            "view": r.can_view_submission,
            "change": r.can_review_submission,
            "add": r.is_student,
            "delete": r.is_admin,
        }

    def __str__(self):
        return f"{self.student} — {self.requirement.name} ({self.get_status_display()})"

    @property
    def other_findings(self) -> list[str]:
        """The automatic check's findings, unless the reason shown above already says
        exactly them (then each sentence would be printed twice)."""
        return [] if self.reason == as_sentence(self.findings) else self.findings

    @property
    def assertion_link(self) -> str:
        """The assertion's address if it is safe to offer as a link (``https:`` only).

        The identifier comes from the uploaded file: a ``javascript:`` or ``data:`` URL
        must never become a link on the staff review page.
        """
        uri = self.assertion_uri.strip()
        return uri if uri.lower().startswith("https://") else ""

    @property
    def holds(self) -> bool:
        return self.status in self.HOLDING
