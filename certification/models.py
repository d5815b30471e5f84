"""Certification sessions in certified rooms, and their candidates.

A session occupies its room over ``[starts_at, occupied_until)``: the 2-hour slot, or
longer when a candidate with extra time needs it. ``occupied_until`` is kept by
``services`` (never typed in); on PostgreSQL an exclusion constraint (migration 0002)
refuses two overlapping sessions in one room.
"""

import datetime as dt
import math

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pixoffice.accounts.models import AcademicYear, Programme, Student, UploadedBatch
from rooms.models import Room

TEST_MINUTES = 105  # 1 h 45 of test …
SLOT_MINUTES = 120  # … in a 2-hour slot (15 minutes of setup)
NO_OVERLAP = "certification_session_no_overlap_in_room"


def candidate_end(starts_at: dt.datetime, *, test_minutes: int, slot_minutes: int, extra: int):
    """When a candidate with ``extra`` % of extra time is done: setup + their own test."""
    test = math.ceil(test_minutes * (100 + extra) / 100)
    return starts_at + dt.timedelta(minutes=slot_minutes - test_minutes + test)


class CertificationSession(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        PUBLISHED = "published", _("publiée")
        CLOSED = "closed", _("close")

    academic_year = models.ForeignKey(
        AcademicYear,
        on_delete=models.PROTECT,
        related_name="certification_sessions",
        verbose_name=_("année universitaire"),
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("salle")
    )
    starts_at = models.DateTimeField(_("début"))
    test_minutes = models.PositiveSmallIntegerField(_("durée du test (min)"), default=TEST_MINUTES)
    slot_minutes = models.PositiveSmallIntegerField(
        _("durée de la session (min)"), default=SLOT_MINUTES
    )
    occupied_until = models.DateTimeField(_("salle occupée jusqu'à"), editable=False)
    seats = models.PositiveSmallIntegerField(_("places"))
    invigilators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="invigilated_sessions",
        verbose_name=_("surveillant·e·s"),
    )
    pix_session_number = models.PositiveIntegerField(
        _("numéro de session Pix"), null=True, blank=True, unique=True
    )
    access_code = models.CharField(_("code d'accès candidat"), max_length=12, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    notes = models.CharField(_("observations"), max_length=255, blank=True)
    programmes = models.ManyToManyField(
        Programme,
        blank=True,
        related_name="certification_sessions",
        verbose_name=_("formations"),
        help_text=_("Les formations dont les étudiant·e·s peuvent s'inscrire (aucune : toutes)."),
    )
    enrolment_closes_at = models.DateTimeField(
        _("fin des inscriptions"),
        null=True,
        blank=True,
        help_text=_("Après cette date, seul le bureau place ou déplace les candidat·e·s."),
    )

    class Meta:
        ordering = ["starts_at", "room__name"]
        verbose_name = _("session de certification")
        verbose_name_plural = _("sessions de certification")
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gt=0), name="session_has_seats"),
            models.CheckConstraint(
                condition=models.Q(test_minutes__gt=0, slot_minutes__gte=models.F("test_minutes")),
                name="session_test_fits_in_slot",
            ),
            models.CheckConstraint(
                condition=models.Q(occupied_until__gt=models.F("starts_at")),
                name="session_occupies_its_room",
            ),
        ]
        indexes = [models.Index(fields=["room", "starts_at"], name="session_room_start")]

    def __str__(self):
        start = timezone.localtime(self.starts_at)
        return f"{start:%d/%m/%Y %H:%M} — {self.room}"

    @property
    def ends_at(self):
        return self.starts_at + dt.timedelta(minutes=self.slot_minutes)

    def end_for(self, extra_time_percent: int):
        return candidate_end(
            self.starts_at,
            test_minutes=self.test_minutes,
            slot_minutes=self.slot_minutes,
            extra=extra_time_percent,
        )


class Candidate(models.Model):
    session = models.ForeignKey(
        CertificationSession,
        on_delete=models.CASCADE,
        related_name="candidates",
        verbose_name=_("session"),
    )
    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="certification_candidacies",
        verbose_name=_("étudiant·e"),
    )

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("non renseignée")
        PRESENT = "present", _("présent·e")
        ABSENT = "absent", _("absent·e")
        EXCUSED = "excused", _("absent·e excusé·e")

    extra_time_percent = models.PositiveSmallIntegerField(_("temps majoré (%)"), default=0)
    attendance = models.CharField(
        _("présence"), max_length=8, choices=Attendance.choices, default="", blank=True
    )
    placed_at = models.DateTimeField(_("placé·e le"), auto_now_add=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placé·e par"),
    )

    class Meta:
        ordering = ["student__last_name", "student__first_name"]
        verbose_name = _("candidat·e")
        verbose_name_plural = _("candidat·e·s")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "student"], name="candidate_once_per_session"
            ),
            models.CheckConstraint(
                condition=models.Q(extra_time_percent__lte=100), name="candidate_extra_time_max"
            ),
        ]

    def __str__(self):
        return f"{self.student} — {self.session}"

    @property
    def ends_at(self):
        return self.session.end_for(self.extra_time_percent)


class Unavailability(models.Model):
    """A slot a student declared they cannot attend (a class, an exam, a job)."""

    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="certification_unavailabilities",
        verbose_name=_("étudiant·e"),
    )
    starts_at = models.DateTimeField(_("du"))
    ends_at = models.DateTimeField(_("au"))
    reason = models.CharField(_("motif"), max_length=150, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("indisponibilité")
        verbose_name_plural = _("indisponibilités")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="unavailability_ends_after_start",
            ),
        ]

    def __str__(self):
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{self.student} : {start:%d/%m/%Y %H:%M} – {end:%H:%M}"


class CertificationResult(models.Model):
    """One line of a Pix certification results file, kept even while unmatched."""

    class Status(models.TextChoices):
        VALIDATED = "validated", _("Validée")
        REJECTED = "rejected", _("Non obtenue")
        CANCELLED = "cancelled", _("Annulée")
        ERROR = "error", _("En erreur")
        STARTED = "started", _("Démarrée")

    certification_number = models.PositiveIntegerField(_("numéro de certification"), unique=True)
    student = models.ForeignKey(
        Student,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certification_results",
        verbose_name=_("étudiant·e"),
    )
    session = models.ForeignKey(
        CertificationSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("session"),
    )
    session_number = models.PositiveIntegerField(_("numéro de session Pix"), null=True, blank=True)
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_place = models.CharField(_("lieu de naissance"), max_length=150, blank=True)
    external_id = models.CharField(_("identifiant externe"), max_length=100, blank=True)
    kind = models.CharField(_("type de certification"), max_length=100, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices)
    level = models.CharField(_("niveau"), max_length=40, blank=True)
    score = models.PositiveSmallIntegerField(_("score en Pix"), null=True, blank=True)
    competences = models.JSONField(_("niveaux par compétence"), default=dict, blank=True)
    comment = models.TextField(_("commentaire du jury"), blank=True)
    centre = models.CharField(_("centre de certification"), max_length=255, blank=True)
    taken_on = models.DateField(_("passée le"), null=True, blank=True)
    imported_at = models.DateTimeField(_("importé le"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "certification_number"]
        verbose_name = _("résultat de certification")
        verbose_name_plural = _("résultats de certification")

    def __str__(self):
        return f"{self.certification_number} {self.last_name} {self.first_name}"


class ResultsImport(UploadedBatch):
    """One uploaded Pix certification results file (preview, then applied once)."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Aperçu, en attente de confirmation")
        QUEUED = "queued", _("En cours d'application")
        APPLIED = "applied", _("Appliqué")

    file = models.FileField(_("fichier"), upload_to="certification/%Y/%m/")
    status = models.CharField(
        _("état"), max_length=16, choices=Status.choices, default=Status.PREVIEWED
    )

    class Meta(UploadedBatch.Meta):
        verbose_name = _("import de résultats de certification")
        verbose_name_plural = _("imports de résultats de certification")


class AllocationRun(models.Model):
    """One proposal of the allocation (``certification.allocation_runs``): who goes
    where, who could not be placed and why; applied once, in one transaction, if the
    sessions have not changed meanwhile (``snapshot``)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposée")
        APPLIED = "applied", _("appliquée")

    class Solver(models.TextChoices):
        FLOW = "flow", _("solveur (flot de coût minimal)")
        GREEDY = "greedy", _("placement glouton")

    academic_year = models.ForeignKey(
        AcademicYear,
        on_delete=models.PROTECT,
        related_name="allocation_runs",
        verbose_name=_("année universitaire"),
    )
    programmes = models.ManyToManyField(
        Programme, related_name="allocation_runs", verbose_name=_("formations")
    )
    sessions = models.ManyToManyField(
        CertificationSession, related_name="allocation_runs", verbose_name=_("sessions")
    )
    solver = models.CharField(
        _("méthode"), max_length=8, choices=Solver.choices, default=Solver.FLOW
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    snapshot = models.JSONField(_("état des sessions à la proposition"), default=dict)
    summary = models.JSONField(_("résumé"), default=dict)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposée par"),
    )
    applied_at = models.DateTimeField(_("appliquée le"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appliquée par"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="proposed", version__isnull=True)
                | models.Q(status="applied", version__isnull=False, applied_at__isnull=False),
                name="allocation_applied_has_version",
            ),
            models.UniqueConstraint(
                fields=["academic_year", "version"], name="allocation_version_once_a_year"
            ),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class AllocationAssignment(models.Model):
    """One student of a proposal: their session, or why they have none."""

    class Reason(models.TextChoices):
        PLACED = "", _("placé·e")
        INELIGIBLE = "ineligible", _("non éligible")
        NO_SEAT = "no_seat", _("plus de place dans les sessions possibles")
        NO_LONG_SLOT = "no_long_slot", _("aucun créneau assez long pour son temps majoré")
        NO_ACCESSIBLE_ROOM = "no_accessible_room", _("aucune salle accessible")
        UNAVAILABLE = "unavailable", _("indisponible sur toutes les sessions possibles")
        NOT_OPEN = "not_open", _("aucune session ouverte à sa formation")

    run = models.ForeignKey(
        AllocationRun,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("allocation"),
    )
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="+", verbose_name=_("étudiant·e")
    )
    session = models.ForeignKey(
        CertificationSession,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    reason = models.CharField(
        _("motif"), max_length=20, choices=Reason.choices, default="", blank=True
    )
    detail = models.CharField(_("précision"), max_length=255, blank=True)

    class Meta:
        ordering = ["run", "student__last_name", "student__first_name"]
        verbose_name = _("place proposée")
        verbose_name_plural = _("places proposées")
        constraints = [
            models.UniqueConstraint(fields=["run", "student"], name="allocation_student_once"),
            models.CheckConstraint(
                condition=models.Q(session__isnull=False, reason="")
                | models.Q(session__isnull=True) & ~models.Q(reason=""),
                name="allocation_placed_or_reason",
            ),
        ]

    def __str__(self):
        return f"{self.student} → {self.session or self.get_reason_display()}"
