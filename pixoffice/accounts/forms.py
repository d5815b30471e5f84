from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pixoffice.tabular import format_size

from .models import AcademicYear, Programme
from .roster_files import FIELDS

TABLE_EXTENSIONS = (".csv", ".txt", ".xlsx")


class YearAndSemesterMixin:
    """For model forms with ``programmes``, ``academic_year`` and ``semester``: the
    programmes the user follows, this year by default, a semester of the chosen year.
    Call ``setup_year_and_semester(user)`` in ``__init__``; ``clean`` checks the pair."""

    def setup_year_and_semester(self, user):
        from .queries import programmes_visible_to

        self.fields["programmes"].queryset = programmes_visible_to(user)
        if not self.instance.pk:
            self.fields["academic_year"].initial = AcademicYear.current()
        self.fields["semester"].queryset = self.fields["semester"].queryset.select_related(
            "academic_year"
        )

    def clean(self):
        data = super().clean()
        semester, year = data.get("semester"), data.get("academic_year")
        if semester and year and semester.academic_year_id != year.pk:
            self.add_error("semester", _("Ce semestre n'appartient pas à l'année choisie."))
        return data


def validate_table_upload(upload):
    """Size and name checks shared by every CSV/XLSX upload form; the content itself
    is checked by the parser (``pixoffice.tabular``), never trusted from the name."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise forms.ValidationError(
            _("Le fichier fait %(size)s ; la taille maximale est %(max)s.")
            % {"size": format_size(upload.size), "max": format_size(settings.UPLOAD_MAX_BYTES)}
        )
    if not upload.name.lower().endswith(TABLE_EXTENSIONS):
        raise forms.ValidationError(_("Seuls les fichiers .csv et .xlsx sont acceptés."))
    return upload


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier de la scolarité (CSV ou XLSX)"),
        help_text=_("Une ligne d'en-têtes puis une ligne par étudiant·e ; 10 Mo au plus."),
    )
    academic_year = forms.ModelChoiceField(
        label=_("Année universitaire"), queryset=AcademicYear.objects.all(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].initial = AcademicYear.current()

    def clean_file(self):
        return validate_table_upload(self.cleaned_data["file"])


class ColumnMappingForm(forms.Form):
    """Which column of the file holds each field (shown when the preset does not fit)."""

    def __init__(self, *args, header: list[str], initial_mapping: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— aucune colonne —"))] + [
            (str(i), title or _("(colonne %(n)s sans titre)") % {"n": i + 1})
            for i, title in enumerate(header)
        ]
        for name, (label, required) in FIELDS.items():
            initial = initial_mapping.get(name)
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=required,
                initial="" if initial is None else str(initial),
            )

    def clean(self):
        data = super().clean()
        used: dict[str, str] = {}
        for name, value in data.items():
            if value in ("", None):
                continue
            if value in used:
                raise forms.ValidationError(
                    _("La même colonne est choisie pour « %(a)s » et « %(b)s ».")
                    % {"a": FIELDS[used[value]][0], "b": FIELDS[name][0]}
                )
            used[value] = name
        return data

    def mapping(self) -> dict[str, int]:
        return {
            name: int(value) for name, value in self.cleaned_data.items() if value not in ("", None)
        }


class StudentFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False)
    programme = forms.ModelChoiceField(
        label=_("Formation"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("Toutes mes formations"),
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class ActivateAccountForm(forms.Form):
    identifier = forms.CharField(
        label=_("Numéro étudiant ou adresse électronique universitaire"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
