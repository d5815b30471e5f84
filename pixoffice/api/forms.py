import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pixoffice.accounts.models import Programme

PARIS = ZoneInfo("Europe/Paris")


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom"),
        max_length=120,
        help_text=_("L'application qui s'en sert, ex. « Pégase — remontée des notes »."),
    )
    programmes = forms.ModelMultipleChoiceField(
        label=_("Formations lisibles"),
        queryset=Programme.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Le jeton ne lit que les étudiants, campagnes, notes et badges de celles-ci."),
    )
    expires_on = forms.DateField(
        label=_("Valable jusqu'au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Inclus (heure de Paris). Vide : jusqu'à sa révocation."),
    )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("Cette date est passée."))
        return day

    @property
    def expires_at(self) -> dt.datetime | None:
        """The end of the chosen day in Paris (the next midnight)."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=PARIS)
