from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pixoffice.accounts.queries import programmes_visible_to
from pixoffice.tabular import format_size

from .models import AcademicYear, Programme
from .roster_files import FIELDS

TABLE_EXTENSIONS = (".csv", ".txt", ".xlsx")


class YearAndSemesterMixin:
    """For model forms with ``programmes``, ``academic_year`` and ``semester``: the
    programmes the user follows, this year by default, a semester of the chosen year.
    Call ``setup_year_and_semester(user)`` in ``__init__``; ``clean`` checks the pair."""

    def setup_year_and_semester(self, user):
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


class SharedProgrammesMixin(YearAndSemesterMixin):
    """For objects several programmes share (a campaign, a grading scheme, a required
    badge). The user ticks only the programmes they follow; the others stay as they
    are (``hidden_programmes``). When some programmes are hidden from the user, a change
    of any other field (shared settings: a deadline, a rule…) must be confirmed with
    the ``confirm_shared`` box, which names those programmes. Admins and staff who follow
    every programme of the object see no box and save directly."""

    not_shared_fields = ("programmes", "confirm_shared")
    # False when the page edits related rows too: the view then calls
    # ``shared_change_unconfirmed(also_changed=…)`` itself
    check_shared_in_clean = True
    # said on the page, e.g. « Cette campagne concerne aussi L2 SED, L2 Géographie. »
    shared_warning = _("Cet élément concerne aussi %(programmes)s.")

    def setup_year_and_semester(self, user):
        super().setup_year_and_semester(user)
        self.hidden_programmes = []
        if self.instance.pk:
            visible = self.fields["programmes"].queryset
            self.hidden_programmes = list(
                self.instance.programmes.exclude(pk__in=visible).order_by("name")
            )
        if self.hidden_programmes:
            # the user may take their own programmes off: the object stays with the others
            self.fields["programmes"].required = False
            self.fields["confirm_shared"] = forms.BooleanField(
                label=_("Je sais que ce changement concerne aussi %(programmes)s.")
                % {"programmes": self.shared_with},
                required=False,
            )

    @property
    def shared_with(self) -> str:
        return ", ".join(p.name for p in self.hidden_programmes)

    @property
    def shared_notice(self) -> str:
        """The sentence the page shows above the form, empty when nothing is hidden."""
        if not self.hidden_programmes:
            return ""
        warning = self.shared_warning % {"programmes": self.shared_with}
        rule = _(
            "Vous choisissez vos formations ; tout autre changement (dates, règle, "
            "composantes…) vaut aussi pour elles et demande votre confirmation."
        )
        return f"{warning} {rule}"

    def clean(self):
        data = super().clean()
        if self.hidden_programmes and "programmes" in data:
            data["programmes"] = [*(data["programmes"] or []), *self.hidden_programmes]
        if self.check_shared_in_clean:
            self.shared_change_unconfirmed()
        return data

    def shared_change_unconfirmed(self, *, also_changed: bool = False) -> bool:
        """True (and an error on the box) when a shared setting changed without the
        confirmation; ``also_changed`` for related rows edited on the same page."""
        if not self.hidden_programmes or self.cleaned_data.get("confirm_shared"):
            return False
        changed = [n for n in self.changed_data if n not in self.not_shared_fields]
        if not changed and not also_changed:
            return False
        self.add_error(
            "confirm_shared",
            _("Ce changement concerne aussi %(programmes)s : cochez la case pour confirmer.")
            % {"programmes": self.shared_with},
        )
        return True


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


class ProgrammeFilterForm(forms.Form):
    """The filters every staff list shares: one of the programmes the user follows
    (``programmes``), and a search; each list adds its own (status, result…)."""

    programme = forms.ModelChoiceField(
        label=_("Formation"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("Toutes"),
    )
    q = forms.CharField(label=_("Rechercher"), required=False)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class StudentFilterForm(ProgrammeFilterForm):
    field_order = ["q", "programme"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].empty_label = _("Toutes mes formations")


class ActivateAccountForm(forms.Form):
    identifier = forms.CharField(
        label=_("Numéro étudiant ou adresse électronique universitaire"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
