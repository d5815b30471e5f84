from django import forms
from django.utils.translation import gettext_lazy as _


class StaffCalendarFilterForm(forms.Form):
    """One of the programmes the user follows (``programmes``, a list: no query to
    validate), or all of them (empty)."""

    formation = forms.TypedChoiceField(
        label=_("Formation"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["formation"].choices = [("", _("Toutes mes formations"))] + [
            (p.pk, p.name) for p in programmes
        ]
