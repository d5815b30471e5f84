"""The Django admin for grading (admins only).

Grids change on the grid pages (a grid used by a published note gets a new version
there), notes through recomputation, overrides and publication: here they are read-only.
Admins configure schemes and the SIS export layouts here.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pixoffice.core.admin import ReadOnlyAdmin

from .forms import ComponentForm, SchemeForm
from .models import Component, ExportLayout, Grid, Note, NoteChange, Publication, Scheme
from .scheduling import schedule_recompute


@admin.register(Grid)
class GridAdmin(ReadOnlyAdmin):
    list_display = ["name", "academic_year", "version", "scale", "step_count", "page"]
    list_filter = ["academic_year"]
    search_fields = ["name"]
    list_select_related = ["academic_year"]

    @admin.display(description=_("paliers"))
    def step_count(self, grid):
        return len(grid.steps)

    @admin.display(description=_("page"))
    def page(self, grid):
        return format_html(
            '<a href="{}">{}</a>', reverse("grading:grid", args=[grid.pk]), gettext("Ouvrir")
        )


class ComponentInline(admin.StackedInline):
    model = Component
    form = ComponentForm
    extra = 0
    autocomplete_fields = ["campaign"]


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    """Saved with the scheme page's checks; the notes are recomputed after a save."""

    form = SchemeForm
    list_display = ["name", "academic_year", "semester", "combine", "scale", "pass_mark"]
    list_filter = ["academic_year", "programmes"]
    search_fields = ["name"]
    inlines = [ComponentInline]

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)

        class SchemeAdminForm(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, user=request.user, **form_kwargs)

        return SchemeAdminForm

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        schedule_recompute([form.instance.pk])


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = [
        "student",
        "scheme",
        "value",
        "result",
        "override_value",
        "override_result",
        "published_value",
        "published_result",
        "published_at",
    ]
    list_filter = ["scheme", "result", "published_result", "student__programme"]
    search_fields = ["student__last_name", "student__first_name", "student__student_number"]
    list_select_related = ["student", "scheme", "scheme__academic_year"]


@admin.register(NoteChange)
class NoteChangeAdmin(ReadOnlyAdmin):
    list_display = ["note", "kind", "at", "by", "old_value", "new_value", "new_result", "reason"]
    list_filter = ["kind"]
    search_fields = ["note__student__last_name", "note__student__student_number", "reason"]
    list_select_related = ["note__student", "note__scheme__academic_year", "by"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["scheme", "programme", "published_at", "published_by", "notes_count"]
    list_filter = ["programme", "scheme"]
    list_select_related = ["scheme__academic_year", "programme", "published_by"]


def field_list() -> str:
    return ", ".join(f"{field} ({label})" for field, label in ExportLayout.FIELDS.items())


class ExportLayoutForm(forms.ModelForm):
    class Meta:
        model = ExportLayout
        fields = ["name", "columns"]
        widgets = {"columns": forms.Textarea(attrs={"rows": 10, "cols": 70})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["columns"].required = False  # an empty list gets the message below
        self.fields["columns"].help_text = gettext(
            "Une liste de [champ, en-tête], dans l'ordre des colonnes, ex. "
            '[["student_number", "NUMERO"], ["note", "NOTE"], ["result", "RESULTAT"]]. '
            "Champs possibles : %(fields)s."
        ) % {"fields": field_list()}

    def clean_columns(self):
        columns = self.cleaned_data["columns"]
        if not isinstance(columns, list) or not columns:
            raise ValidationError(
                gettext("Indiquez au moins une colonne : une liste de [champ, en-tête].")
            )
        errors, cleaned, headers = [], [], set()
        for position, column in enumerate(columns, start=1):
            if (
                not isinstance(column, list | tuple)
                or len(column) != 2
                or not all(isinstance(part, str) for part in column)
            ):
                errors.append(
                    gettext("Colonne %(n)s : écrivez [champ, en-tête], deux textes.")
                    % {"n": position}
                )
                continue
            field, header = column[0].strip(), column[1].strip()
            if field not in ExportLayout.FIELDS:
                errors.append(
                    gettext(
                        "Colonne %(n)s : champ « %(field)s » inconnu. Champs possibles : %(fields)s."
                    )
                    % {"n": position, "field": field, "fields": field_list()}
                )
            if not header:
                errors.append(gettext("Colonne %(n)s : l'en-tête est vide.") % {"n": position})
            elif header in headers:
                errors.append(
                    gettext("Colonne %(n)s : l'en-tête « %(header)s » est déjà utilisé.")
                    % {"n": position, "header": header}
                )
            headers.add(header)
            cleaned.append([field, header])
        if errors:
            raise ValidationError(errors)
        return cleaned


@admin.register(ExportLayout)
class ExportLayoutAdmin(admin.ModelAdmin):
    """The columns of the SIS export, as the staff page's "Colonnes" menu offers them."""

    form = ExportLayoutForm
    list_display = ["name", "column_headers"]
    search_fields = ["name"]

    @admin.display(description=_("colonnes"))
    def column_headers(self, layout):
        return " ; ".join(header for _field, header in layout.columns)
