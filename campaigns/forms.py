from django import forms
from django.utils.translation import gettext_lazy as _

from pixoffice.accounts.forms import (
    ProgrammeFilterForm,
    SharedProgrammesMixin,
    validate_table_upload,
)

from .models import Campaign, Competence


class CampaignForm(SharedProgrammesMixin, forms.ModelForm):
    shared_warning = _("Cette campagne concerne aussi %(programmes)s.")

    class Meta:
        model = Campaign
        fields = [
            "name",
            "code",
            "kind",
            "academic_year",
            "semester",
            "programmes",
            "competences",
            "opens_on",
            "deadline",
            "target_level",
            "external_id_label",
            "pix_id",
            "counting_rule",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "programmes": forms.CheckboxSelectMultiple,
            "competences": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "code": _("Le code à 9 caractères donné par Pix Orga, ex. MJPECY231."),
            "deadline": _("Heure de Paris."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_year_and_semester(user)
        self.fields["competences"].queryset = Competence.objects.order_by("position")
        self.fields["competences"].label_from_instance = lambda c: f"{c.code} {c.name}"

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean(self):
        data = super().clean()
        opens_on, deadline = data.get("opens_on"), data.get("deadline")
        if opens_on and deadline and deadline.date() < opens_on:
            self.add_error("deadline", _("La date limite doit suivre l'ouverture de la campagne."))
        return data


class ResultUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Export de résultats Pix Orga (CSV)"),
        help_text=_(
            "Le fichier « Resultats-… .csv » téléchargé depuis Pix Orga, tel quel ou réenregistré par Excel."
        ),
    )
    campaign = forms.ModelChoiceField(
        label=_("Campagne"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("Celle du code présent dans le fichier"),
    )

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns

    def clean_file(self):
        return validate_table_upload(self.cleaned_data["file"])


class LinkParticipationForm(forms.Form):
    """Link an unmatched row to a roster student, chosen by their student number."""

    student_number = forms.CharField(label=_("Numéro étudiant"), max_length=20)

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.students = students

    def clean_student_number(self):
        number = self.cleaned_data["student_number"].strip()
        student = self.students.filter(student_number=number).first()
        if student is None:
            raise forms.ValidationError(
                _("Aucun·e étudiant·e de vos formations concernées n'a le numéro %(n)s.")
                % {"n": number}
            )
        self.cleaned_data["student"] = student
        return number


class FollowUpFilterForm(ProgrammeFilterForm):
    STATUS_CHOICES = [
        ("", _("Tous")),
        ("not_joined", _("Pas encore rejoint")),
        ("started", _("Commencé, pas envoyé")),
        ("shared", _("Envoyé")),
        ("shared_late", _("Envoyé en retard")),
        ("below", _("Sous le niveau visé")),
    ]
    status = forms.ChoiceField(label=_("Statut"), choices=STATUS_CHOICES, required=False)
    field_order = ["programme", "status", "stage", "badge", "q"]

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is None or campaign.kind != Campaign.Kind.ASSESSMENT:
            return
        # an assessment has no levels: no « sous le niveau visé »
        self.fields["status"].choices = [c for c in self.STATUS_CHOICES if c[0] != "below"]
        if campaign.stage_count is not None:
            self.fields["stage"] = forms.TypedChoiceField(
                label=_("Palier obtenu"),
                coerce=int,
                empty_value=None,
                required=False,
                choices=[("", _("Tous"))]
                + [
                    (n, _("Palier %(n)s / %(total)s") % {"n": n, "total": campaign.stage_count})
                    for n in range(campaign.stage_count + 1)
                ],
            )
        self.campaign_badges = list(campaign.badge_names)
        if campaign.badge_names:
            # « acquired:0 » / « missing:0 »: the badge's position, not its title, in the URL
            choices = [("", _("Tous"))]
            for index, name in enumerate(campaign.badge_names):
                choices.append((f"acquired:{index}", _("%(badge)s : acquis") % {"badge": name}))
                choices.append((f"missing:{index}", _("%(badge)s : non acquis") % {"badge": name}))
            self.fields["badge"] = forms.ChoiceField(
                label=_("Badge"), choices=choices, required=False
            )
        self.order_fields(self.field_order)

    def badge_filter(self) -> tuple[str, bool] | None:
        """``(badge title, acquired)`` chosen, or ``None``."""
        value = self.cleaned_data.get("badge") or ""
        if not value:
            return None
        which, index = value.split(":")
        return self.campaign_badges[int(index)], which == "acquired"


class IgnoreParticipationForm(forms.Form):
    """Set an unmatched row aside: « pas un étudiant suivi ici », with a reason."""

    reason = forms.CharField(
        label=_("Motif"),
        max_length=300,
        help_text=_("Par exemple : inscrit·e en M1 MEEF, pas dans nos formations."),
    )
