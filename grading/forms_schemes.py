"""The scheme form and its components: each component kind has its own fields (a badge
has no campaign nor grid); what does not apply to a kind is ignored and cleared."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from campaigns.queries import campaigns_visible_to
from pixoffice.accounts.forms import SharedProgrammesMixin

from . import computation as calc
from .fields import LocalizedDecimalField
from .models import Component, Grid, Scheme

Kind = Component.Kind

# the fields that mean something for each kind of component (the others are ignored)
KIND_FIELDS = {
    Kind.CAMPAIGN: {
        "campaign",
        "basis",
        "grid",
        "minimum",
        "weight",
        "missing",
        "absence_code",
    },
    Kind.BADGE: {"badge_requirement"},
    Kind.CERTIFICATION: {"grid", "weight", "missing", "absence_code"},
}
# what an ignored field is set to (its empty value, or the model's default)
CLEARED = {
    "campaign": None,
    "basis": "",
    "grid": None,
    "minimum": None,
    "weight": Decimal(1),
    "missing": Component.Missing.ZERO,
    "absence_code": "ABI",
    "badge_requirement": None,
}
KIND_SHORT = {
    Kind.CAMPAIGN: _("campagne"),
    Kind.BADGE: _("Open Badge"),
    Kind.CERTIFICATION: _("certification"),
}


class SchemeForm(SharedProgrammesMixin, forms.ModelForm):
    shared_warning = _("Cette modalité de notation concerne aussi %(programmes)s.")
    check_shared_in_clean = False  # the components count too: the view checks

    class Meta:
        model = Scheme
        fields = [
            "name",
            "academic_year",
            "semester",
            "programmes",
            "combine",
            "scale",
            "cap",
            "rounding",
            "pass_mark",
        ]
        widgets = {"programmes": forms.CheckboxSelectMultiple}
        field_classes = dict.fromkeys(("scale", "cap", "pass_mark"), LocalizedDecimalField)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_year_and_semester(user)

    def clean(self):
        data = super().clean()
        scale, pass_mark = data.get("scale"), data.get("pass_mark")
        if scale is not None and pass_mark is not None and not 0 <= pass_mark <= scale:
            self.add_error(
                "pass_mark", _("La note de validation doit être comprise dans le barème.")
            )
        return data


class ComponentForm(forms.ModelForm):
    class Meta:
        model = Component
        fields = [
            "position",
            "label",
            "kind",
            "campaign",
            "basis",
            "grid",
            "minimum",
            "weight",
            "missing",
            "absence_code",
            "badge_requirement",
        ]
        field_classes = {"minimum": LocalizedDecimalField, "weight": LocalizedDecimalField}

    def __init__(self, *args, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaigns is not None:
            self.fields["campaign"].queryset = campaigns
        # the year is part of the label: last year's campaign must not pass for this one's
        self.fields["campaign"].label_from_instance = lambda c: (
            f"{c.name} ({c.code}, {c.academic_year})"
        )
        self.fields["grid"].queryset = Grid.objects.filter(superseded_by__isnull=True)
        self.fields["basis"].required = False
        self.fields["kind"].widget.attrs["data-component-kind"] = ""  # for scheme_form.js

    @staticmethod
    def kinds_of(name: str) -> list[str] | None:
        """The kinds a field is for; ``None`` for the fields of every kind."""
        kinds = [kind for kind, names in KIND_FIELDS.items() if name in names]
        return kinds if kinds and len(kinds) < len(KIND_FIELDS) else None

    def kind_fields(self):
        """``(bound field, "campaign certification", "campagne, certification")`` for the
        template: without JavaScript every field shows, labelled with the kinds it is
        for; with it, only the fields of the chosen kind show."""
        rows = []
        for field in self.visible_fields():
            kinds = self.kinds_of(field.name)
            label = ", ".join(str(KIND_SHORT[k]) for k in kinds) if kinds else ""
            rows.append((field, " ".join(kinds) if kinds else "", label))
        return rows

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind not in KIND_FIELDS:
            return data
        for name in set(CLEARED) - KIND_FIELDS[kind]:  # typed for another kind: ignored
            self._errors.pop(name, None)
            data[name] = CLEARED[name]
        if kind == Kind.CAMPAIGN:
            for name in ("campaign", "basis"):
                if not data.get(name):
                    self.add_error(name, _("Obligatoire pour une composante « campagne »."))
            self._clean_campaign_basis(data)
        elif kind == Kind.BADGE:
            if not data.get("badge_requirement"):
                self.add_error("badge_requirement", _("Choisissez le badge exigé."))
        elif kind == Kind.CERTIFICATION:
            if not data.get("grid"):
                self.add_error("grid", _("Obligatoire pour une composante « certification »."))
            data["basis"] = Component.Basis.CERTIFICATION_SCORE
        if data.get("missing") == Component.Missing.ABSENCE and not data.get("absence_code"):
            self.add_error("absence_code", _("Indiquez le code d'absence (ex. ABI)."))
        return data

    def _clean_campaign_basis(self, data) -> None:
        """A campaign component reads a measure of its campaign's kind (pix or levels of
        a profiles collection, mastery or stage of an assessment), through a grid or
        against a minimum (a requirement, no points): one of the two."""
        campaign, basis, minimum = data.get("campaign"), data.get("basis"), data.get("minimum")
        if data.get("grid") is None and minimum is None:
            message = _(
                "Obligatoire pour une composante « campagne ». Sans grille, indiquez un seuil."
            )
            self.add_error("grid", message)
        elif data.get("grid") is not None and minimum is not None:
            self.add_error("minimum", _("Une grille ou un seuil exigé, pas les deux."))
        if campaign is None or not basis:
            return
        assessment = campaign.kind == Campaign.Kind.ASSESSMENT
        if basis not in (calc.ASSESSMENT_BASES if assessment else calc.PROFILE_BASES):
            wanted = (
                _("le taux de maîtrise ou le palier") if assessment else _("les pix ou le niveau")
            )
            message = _("« %(campaign)s » est une campagne « %(kind)s » : choisissez %(wanted)s.")
            values = {"campaign": campaign.name, "kind": campaign.get_kind_display()}
            self.add_error("basis", message % {**values, "wanted": wanted})
        elif minimum is not None and not 0 <= minimum <= self._highest(basis, campaign):
            self.add_error(
                "minimum",
                _("Le seuil doit être entre 0 et %(high)s.")
                % {"high": calc.number_text(self._highest(basis, campaign))},
            )

    @staticmethod
    def _highest(basis, campaign) -> Decimal:
        if basis == calc.MASTERY_RATE:
            return Decimal(100)
        if basis == calc.STAGE and campaign.stage_count is not None:
            return Decimal(campaign.stage_count)
        return Decimal(99999)


class BaseComponentFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, campaigns=None, **kwargs):
        self.campaigns = campaigns
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "campaigns": self.campaigns}

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError(_("Ajoutez au moins une composante."))
        year = self.instance.academic_year if self.instance.academic_year_id else None
        for form in kept:
            campaign = form.cleaned_data.get("campaign")
            if year is not None and campaign is not None and campaign.academic_year_id != year.pk:
                form.add_error(
                    "campaign",
                    _(
                        "La campagne %(code)s est de l'année %(campaign_year)s ; la modalité "
                        "est de l'année %(year)s."
                    )
                    % {
                        "code": campaign.code,
                        "campaign_year": campaign.academic_year,
                        "year": year,
                    },
                )


ComponentFormSet = inlineformset_factory(
    Scheme, Component, form=ComponentForm, formset=BaseComponentFormSet, extra=1, can_delete=True
)


def campaigns_for(user):
    return campaigns_visible_to(user).select_related("academic_year").order_by("-deadline")
