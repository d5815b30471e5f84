import hashlib
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign
from campaigns.queries import campaigns_visible_to
from pixoffice.accounts.forms import (
    ProgrammeFilterForm,
    SharedProgrammesMixin,
    validate_table_upload,
)
from pixoffice.accounts.models import AcademicYear, Programme

from . import computation as calc
from .models import Component, ExportLayout, Grid, Note, Scheme


def parse_steps_text(text: str) -> list[calc.Step]:
    """Steps typed one per line, ``65;0,5`` (``;``, tab or spaces between the two)."""
    steps, errors = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.lower().startswith(("score", "seuil", "#")):
            continue
        for separator in (";", "\t"):
            if separator in line:
                cells = [c.strip() for c in line.split(separator)]
                break
        else:
            cells = line.split()
        if len(cells) != 2:
            errors.append(
                _("Ligne %(n)s : écrivez le score minimal puis la note, ex. « 65;0,5 ».")
                % {"n": number}
            )
            continue
        try:
            steps.append(calc.Step(calc.to_decimal(cells[0]), calc.to_decimal(cells[1])))
        except InvalidOperation:
            errors.append(
                _("Ligne %(n)s : « %(text)s » n'est pas un nombre.")
                % {"n": number, "text": line[:40]}
            )
    if errors:
        raise ValidationError(errors)
    return steps


def steps_text(grid: Grid) -> str:
    return "\n".join(
        f"{calc.number_text(s.minimum)};{calc.number_text(s.note)}" for s in grid.step_list()
    )


class GridForm(forms.Form):
    """A new grid, typed or from a CSV/XLSX file; also edits a grid's steps."""

    name = forms.CharField(label=_("Nom"), max_length=120)
    academic_year = forms.ModelChoiceField(
        label=_("Année universitaire"), queryset=AcademicYear.objects.all()
    )
    scale = forms.DecimalField(
        label=_("Barème"),
        min_value=1,
        max_digits=5,
        decimal_places=2,
        initial=20,
        help_text=_("20 pour une note sur 20, 10 pour une note sur 10."),
    )
    steps = forms.CharField(
        label=_("Paliers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text=_(
            "Un palier par ligne : le score minimal, puis la note (ex. « 65;0,5 »). "
            "Le premier palier commence à 0."
        ),
    )
    file = forms.FileField(
        label=_("… ou un fichier CSV/XLSX"),
        required=False,
        help_text=_("Deux colonnes : score_min_pix;note_sur_20 (virgule décimale acceptée)."),
    )

    def __init__(self, *args, grid: Grid | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        if grid is not None:  # editing: the name and year stay; the steps change
            del self.fields["name"], self.fields["academic_year"], self.fields["file"]
            self.fields["scale"].initial = grid.scale
            self.fields["steps"].initial = steps_text(grid)
            self.fields["steps"].required = True
        else:
            self.fields["academic_year"].initial = AcademicYear.current()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return validate_table_upload(upload) if upload else None

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        steps = None
        if upload:
            try:
                parsed = calc.read_grid_file(upload.read())
            except calc.GridError as error:
                raise ValidationError(error.messages) from error
            steps = parsed.steps
            if parsed.scale and "scale" not in self.changed_data:
                data["scale"] = parsed.scale
        elif data.get("steps"):
            try:
                steps = parse_steps_text(data["steps"])
            except ValidationError as error:
                self.add_error("steps", error)
                return data
        else:
            self.add_error("steps", _("Saisissez les paliers ou déposez un fichier."))
            return data
        if data.get("scale") is not None:
            errors = calc.validate_steps(steps, data["scale"])
            if errors:
                self.add_error("steps", errors)
        data["step_list"] = steps
        return data


class CopyGridForm(forms.Form):
    academic_year = forms.ModelChoiceField(
        label=_("Vers l'année"), queryset=AcademicYear.objects.all()
    )


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

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Component.Kind.CAMPAIGN:
            for name in ("campaign", "basis"):
                if not data.get(name):
                    self.add_error(name, _("Obligatoire pour une composante « campagne »."))
            self._clean_campaign_basis(data)
        elif kind == Component.Kind.BADGE:
            if not data.get("badge_requirement"):
                self.add_error("badge_requirement", _("Choisissez le badge exigé."))
            data["campaign"] = data["grid"] = data["minimum"] = None
            data["basis"] = ""
        elif kind == Component.Kind.CERTIFICATION:
            if not data.get("grid"):
                self.add_error("grid", _("Obligatoire pour une composante « certification »."))
            data["campaign"] = data["badge_requirement"] = data["minimum"] = None
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


def digest(post) -> str:
    """A fingerprint of what was simulated, so that "save" saves exactly that."""
    items = sorted(
        (k, v)
        for k in post
        if k not in ("csrfmiddlewaretoken", "simulated", "action", "confirm_shared")
        for v in post.getlist(k)
    )
    return hashlib.sha256(repr(items).encode()).hexdigest()[:32]


class OverrideForm(forms.Form):
    value = forms.DecimalField(
        label=pgettext_lazy("une note sur un barème", "Note"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_("Vide : pas de note (absence)."),
    )
    result = forms.ChoiceField(label=_("Résultat"), choices=Note.Result.choices)
    reason = forms.CharField(
        label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, note: Note, **kwargs):
        super().__init__(*args, **kwargs)
        self.note = note
        self.fields["value"].max_value = note.scheme.scale
        self.fields["value"].widget.attrs["max"] = str(note.scheme.scale)
        self.fields["value"].initial = note.final_value
        self.fields["result"].initial = note.final_result

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Le motif est obligatoire."))
        return reason

    def clean(self):
        data = super().clean()
        if data.get("value") is None and data.get("result") != Note.Result.ABSENT:
            self.add_error("value", _("Indiquez la note, ou choisissez le résultat « Absent »."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class PublishForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Formation"), queryset=Programme.objects.none())
    reason = forms.CharField(
        label=_("Motif (obligatoire pour une nouvelle publication)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    before_deadline = forms.BooleanField(
        label=_("Publier quand même avant la date limite"),
        required=False,
        help_text=_(
            "Les étudiant·es qui envoient encore après la publication ne seront pris en compte qu'à la prochaine publication."
        ),
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class NoteFilterForm(ProgrammeFilterForm):
    STATE_CHOICES = [
        ("", _("Toutes")),
        ("unpublished", _("Non publiées")),
        ("published", _("Publiées")),
        ("to_republish", _("À republier")),
        ("overridden", _("Modifiées à la main")),
    ]
    result = forms.ChoiceField(
        label=_("Résultat"), choices=[("", _("Tous")), *Note.Result.choices], required=False
    )
    state = forms.ChoiceField(label=_("État"), choices=STATE_CHOICES, required=False)
    field_order = ["programme", "result", "state", "q"]


class ExportForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Formation"), queryset=Programme.objects.none())
    layout = forms.ModelChoiceField(
        label=_("Colonnes"),
        queryset=ExportLayout.objects.all(),
        required=False,
        empty_label=_("Format standard (numéro, nom, prénom, note /20, résultat, code absence)"),
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
