import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from rooms.models import Room

from .models import OfficeHours, SupportSession, Workshop
from .recurrence import parse_rule

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["room"].queryset = Room.objects.select_related("site")
        self.fields["room"].help_text = _(
            "Une salle de la liste, ou bien un autre lieu ci-dessous."
        )
        for name in ("start", "end", "registration_opens", "first_start", "first_end"):
            if name in self.fields:
                self.fields[name].widget = DATETIME

    def clean(self):
        data = super().clean()
        start = data.get("start") or data.get("first_start")
        end = data.get("end") or data.get("first_end")
        if start and end and end <= start:
            raise forms.ValidationError(_("La fin doit être après le début."))
        room, place = data.get("room"), (data.get("place") or "").strip()
        if room and place:
            self.add_error(
                "place", _("Choisissez une salle ou indiquez un autre lieu, pas les deux.")
            )
        elif not room and not place and "room" not in self.errors:
            self.add_error("room", _("Choisissez une salle ou indiquez un autre lieu."))
        return data


class SupportSessionForm(EventForm):
    class Meta:
        model = SupportSession
        fields = ["programme", "title", "start", "end", "room", "place"]


class WorkshopForm(EventForm):
    class Meta:
        model = Workshop
        fields = [
            "programme", "title", "description", "start", "end", "room", "place", "seats",
            "registration_opens",
        ]  # fmt: skip


class OfficeHoursForm(EventForm):
    exdates_text = forms.CharField(
        label=_("Dates sans permanence"),
        required=False,
        help_text=_("Une date par ligne, au format JJ/MM/AAAA (vacances, jours fériés)."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = OfficeHours
        fields = ["programme", "title", "first_start", "first_end", "rrule", "room", "place"]
        help_texts = {
            "rrule": _("Par exemple FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270630 (mardi et jeudi).")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].required = False
        if self.instance.pk:
            self.initial["exdates_text"] = "\n".join(
                dt.date.fromisoformat(d).strftime("%d/%m/%Y") for d in self.instance.exdates
            )

    def clean_exdates_text(self):
        dates = []
        for number, line in enumerate(self.cleaned_data["exdates_text"].splitlines(), 1):
            if not line.strip():
                continue
            try:
                dates.append(dt.datetime.strptime(line.strip(), "%d/%m/%Y").date().isoformat())  # noqa: DTZ007
            except ValueError:
                raise forms.ValidationError(
                    _("Ligne %(n)s : « %(v)s » n'est pas une date JJ/MM/AAAA.")
                    % {"n": number, "v": line.strip()}
                ) from None
        return sorted(set(dates))

    def clean(self):
        data = super().clean()
        if data.get("rrule") and data.get("first_start"):
            try:
                parse_rule(data["rrule"], first_start=data["first_start"])
            except (ValueError, TypeError) as error:
                self.add_error("rrule", _("Règle illisible : %(e)s") % {"e": error})
        return data

    def save(self, commit=True):
        self.instance.exdates = self.cleaned_data["exdates_text"]
        return super().save(commit=commit)
