"""Notes, their audit trail and their publications."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grading import computation as calc
from grading.models.schemes import Scheme
from pixoffice.accounts.models import Programme, Student


class Note(models.Model):
    """A student's note under a scheme: computed, possibly overridden, maybe published.

    ``value``/``result`` are what the rule computes now; ``override_*`` what staff set
    instead; ``published_*`` the snapshot students see, changed only by a publication.
    """

    class Result(models.TextChoices):
        VALIDATED = calc.VALIDATED, _("Validé")
        NOT_VALIDATED = calc.NOT_VALIDATED, _("Non validé")
        ABSENT = calc.ABSENT, _("Absent")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="notes")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="notes")
    value = models.DecimalField(_("note calculée"), max_digits=6, decimal_places=2, null=True)
    result = models.CharField(_("résultat calculé"), max_length=16, choices=Result.choices)
    absence_code = models.CharField(_("code d'absence"), max_length=8, blank=True)
    # the explanation as data (computation.compute's lines) and where inputs came from:
    # {component key: {"share": id, "import": id, "grid": id, …}}
    explanation = models.JSONField(_("explication"), default=list)
    sources = models.JSONField(_("sources"), default=dict)
    computed_at = models.DateTimeField(_("calculée le"))

    override_value = models.DecimalField(
        _("note saisie"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    override_result = models.CharField(
        _("résultat saisi"), max_length=16, choices=Result.choices, blank=True
    )
    override_reason = models.TextField(_("motif de la saisie"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)

    published_value = models.DecimalField(
        _("note publiée"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    published_result = models.CharField(
        _("résultat publié"), max_length=16, choices=Result.choices, blank=True
    )
    published_absence_code = models.CharField(max_length=8, blank=True)
    published_explanation = models.JSONField(default=list, blank=True)
    published_sources = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    # Published, and the value, result or explanation changed since: « à republier ».
    # Kept by every write of a note (recomputation, override, publication) so that pages
    # count and filter it in SQL; ``differs_from_published`` is the rule it stores.
    needs_republication = models.BooleanField(_("à republier"), default=False)

    class Meta:
        ordering = ["student__last_name", "student__first_name"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "student"], name="one_note_per_scheme"),
        ]

    def __str__(self):
        return f"{self.student} — {self.scheme}"

    @property
    def is_overridden(self) -> bool:
        return bool(self.override_result)

    @property
    def final_value(self):
        return self.override_value if self.is_overridden else self.value

    @property
    def final_result(self) -> str:
        return self.override_result if self.is_overridden else self.result

    @property
    def final_absence_code(self) -> str:
        return "" if self.is_overridden else self.absence_code

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def publishable_explanation(self) -> list:
        """The explanation a publication would show now: the computation's lines, then
        the override with its reason if staff set the note by hand."""
        if not self.is_overridden:
            return self.explanation
        override = {
            "kind": "override",
            "value": None if self.final_value is None else str(self.final_value),
            "result": self.final_result,
            "reason": self.override_reason,
        }
        return [*self.explanation, override]

    @property
    def differs_from_published(self) -> bool:
        """Published, and the value, the result or the explanation differ from what a
        publication would show now (a badge obtained since changes only the sentence)."""
        return self.is_published and (
            self.published_value != self.final_value
            or self.published_result != self.final_result
            or self.published_absence_code != self.final_absence_code
            or self.published_explanation != self.publishable_explanation()
        )


class NoteChange(models.Model):
    """The audit trail: every change of a note, who, when, old → new, why."""

    class Kind(models.TextChoices):
        COMPUTED = "computed", _("Calcul")
        EXPLAINED = "explained", _("Calcul : explication mise à jour")
        OVERRIDE = "override", _("Note saisie")
        OVERRIDE_REMOVED = "override_removed", _("Saisie annulée")
        PUBLISHED = "published", _("Publication")
        REPUBLISHED = "republished", _("Nouvelle publication")

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("le"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    old_value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    new_value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    old_result = models.CharField(max_length=16, blank=True)
    new_result = models.CharField(max_length=16, blank=True)
    reason = models.TextField(_("motif"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("changement de note")
        verbose_name_plural = _("historique des notes")

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"

    @property
    def is_public(self) -> bool:
        return self.kind in (self.Kind.PUBLISHED, self.Kind.REPUBLISHED)


class Publication(models.Model):
    """Staff published (or re-published) a scheme's notes for a programme."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="publications")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="+", verbose_name=_("formation")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("publiée le"))
    reason = models.TextField(_("motif"), blank=True)
    notes_count = models.PositiveIntegerField(_("notes publiées"), default=0)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self):
        return f"{self.scheme} — {self.programme} ({self.published_at:%d/%m/%Y})"
