from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pixoffice.accounts.forms import ProgrammeFilterForm, SharedProgrammesMixin
from pixoffice.tabular import format_size

from .models import BadgeRequirement, BadgeSubmission, TrustedBadge


class BadgeUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier du badge (image PNG ou SVG, ou fichier JSON)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".png,.svg,.json,image/png,image/svg+xml,application/json"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "L'image du badge téléchargée depuis la plateforme du MOOC, telle quelle "
            "(pas une capture d'écran), ou son fichier d'assertion JSON ; %(max)s au plus."
        ) % {"max": format_size(settings.BADGE_UPLOAD_MAX_BYTES)}

    def clean_file(self):
        """The size here; the type is decided from the content by the reader, never
        from the name."""
        upload = self.cleaned_data["file"]
        limit = settings.BADGE_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Le fichier fait %(size)s ; la taille maximale d'un badge est %(max)s.")
                % {"size": format_size(upload.size), "max": format_size(limit)}
            )
        return upload


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("accept", _("Accepter")), ("reject", _("Refuser"))],
    )
    reason = forms.CharField(
        label=_("Raison du refus (visible par l'étudiant·e)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Indiquez la raison du refus : l'étudiant·e la verra."))
        return data


class QueueFilterForm(ProgrammeFilterForm):
    STATUS_CHOICES = [("", _("Tous")), *BadgeSubmission.Status.choices]

    status = forms.ChoiceField(label=_("État"), choices=STATUS_CHOICES, required=False)
    requirement = forms.ModelChoiceField(
        label=_("Badge exigé"), queryset=None, required=False, empty_label=_("Tous")
    )
    q = forms.CharField(label=_("Nom ou numéro étudiant"), required=False)
    field_order = ["status", "programme", "requirement", "q"]

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = requirements


class FollowUpFilterForm(ProgrammeFilterForm):
    STATUS_CHOICES = [
        ("", _("Tous")),
        ("none", _("Aucun dépôt")),
        (BadgeSubmission.Status.REVIEW, _("À vérifier")),
        (BadgeSubmission.Status.REJECTED, _("Refusé")),
    ]
    status = forms.ChoiceField(label=_("État"), choices=STATUS_CHOICES, required=False)
    field_order = ["programme", "status", "q"]


class RequirementForm(SharedProgrammesMixin, forms.ModelForm):
    shared_warning = _("Ce badge exigé concerne aussi %(programmes)s.")

    class Meta:
        model = BadgeRequirement
        fields = [
            "name",
            "academic_year",
            "semester",
            "programmes",
            "deadline",
            "instructions",
            "trusted_badges",
        ]
        widgets = {
            "deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "programmes": forms.CheckboxSelectMultiple,
            "trusted_badges": forms.CheckboxSelectMultiple,
            "instructions": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"deadline": _("Heure de Paris.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_year_and_semester(user)
        self.fields["trusted_badges"].queryset = TrustedBadge.objects.filter(is_active=True)
        self.fields["trusted_badges"].help_text = _(
            "La liste des badges reconnus est tenue par l'administration."
        )
