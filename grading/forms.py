import hashlib
from decimal import InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from pixoffice.accounts.forms import (
    ProgrammeFilterForm,
    validate_table_upload,
)
from pixoffice.accounts.models import AcademicYear, Programme

from . import computation as calc
from . import explain
from .fields import LocalizedDecimalField
from .forms_schemes import ComponentForm, ComponentFormSet, SchemeForm, campaigns_for
from .models import ExportLayout, Grid, Note

__all__ = [  # the scheme forms live in forms_schemes; imported from here too
    "ComponentForm",
    "ComponentFormSet",
    "CopyGridForm",
    "ExportForm",
    "GridForm",
    "NoteFilterForm",
    "OverrideForm",
    "PublishForm",
    "ReasonForm",
    "SchemeForm",
    "campaigns_for",
    "digest",
    "parse_steps_text",
    "step_text",
    "steps_text",
]


def _english() -> bool:
    return (get_language() or "fr").startswith("en")


def step_text(minimum, note) -> str:
    """One step as the reader writes a pair of numbers: « 65;0,5 » in French (the
    Strasbourg file's way), "65, 0.5" in English (decimal point, comma between)."""
    separator = ", " if _english() else ";"
    return f"{explain.num(minimum)}{separator}{explain.num(note)}"


def parse_steps_text(text: str) -> list[calc.Step]:
    """Steps typed one per line, ``65;0,5`` (``;``, tab or spaces between the two);
    in English also ``65, 0.5`` or ``65,0.5`` (a comma between, a decimal point)."""
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
            cells = [c.rstrip(",") for c in line.split()]  # « 65, 0.5 »
            if len(cells) == 1 and _english() and line.count(",") == 1:
                cells = [c.strip() for c in line.split(",")]  # "65,0.5"
        if len(cells) != 2:
            errors.append(
                _("Ligne %(n)s : écrivez le score minimal puis la note, ex. « %(example)s ».")
                % {"n": number, "example": step_text(65, "0.5")}
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
    """The grid's steps for its edit box, one per line, in the reader's language."""
    return "\n".join(step_text(s.minimum, s.note) for s in grid.step_list())


class GridForm(forms.Form):
    """A new grid, typed or from a CSV/XLSX file; also edits a grid's steps."""

    name = forms.CharField(label=_("Nom"), max_length=120)
    academic_year = forms.ModelChoiceField(
        label=_("Année universitaire"), queryset=AcademicYear.objects.all()
    )
    scale = LocalizedDecimalField(
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
    )
    file = forms.FileField(
        label=_("… ou un fichier CSV/XLSX"),
        required=False,
        help_text=_("Deux colonnes : score_min_pix;note_sur_20 (virgule décimale acceptée)."),
    )

    def __init__(self, *args, grid: Grid | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        self.fields["steps"].help_text = _(
            "Un palier par ligne : le score minimal, puis la note (ex. « %(example)s »). "
            "Le premier palier commence à 0."
        ) % {"example": step_text(65, "0.5")}
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
    value = LocalizedDecimalField(
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
        high = _("La note doit être au plus %(high)s.") % {"high": explain.num(note.scheme.scale)}
        self.fields["value"].validators.append(MaxValueValidator(note.scheme.scale, high))
        self.fields["value"].initial = note.final_value
        self.fields["result"].initial = note.final_result

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Le motif est obligatoire."))
        return reason

    def clean(self):
        data = super().clean()
        typed = "value" not in self.errors  # a wrong number has its own message
        if typed and data.get("value") is None and data.get("result") != Note.Result.ABSENT:
            self.add_error("value", _("Indiquez la note, ou choisissez le résultat « Absent »."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class PublishForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Formation"),
        queryset=Programme.objects.none(),
        error_messages={
            "required": _("Choisissez une formation."),
            "invalid_choice": _("Choisissez une formation parmi celles de la liste."),
        },
    )
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
