"""Forms of enrolment: a student's unavailable slot; the office's move of a candidate."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Candidate, Unavailability
from .unavailability import check_slot

LOCAL = {"type": "datetime-local"}


class UnavailabilityForm(forms.ModelForm):
    class Meta:
        model = Unavailability
        fields = ["starts_at", "ends_at", "reason"]
        labels = {"starts_at": _("du"), "ends_at": _("au")}
        widgets = {
            "starts_at": forms.DateTimeInput(attrs=LOCAL, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs=LOCAL, format="%Y-%m-%dT%H:%M"),
            "reason": forms.TextInput(attrs={"placeholder": _("cours, examen, stage…")}),
        }
        error_messages = {
            "starts_at": {
                "required": _("Indiquez le début du créneau."),
                "invalid": _("Début du créneau : date et heure attendues (JJ/MM/AAAA HH:MM)."),
            },
            "ends_at": {
                "required": _("Indiquez la fin du créneau."),
                "invalid": _("Fin du créneau : date et heure attendues (JJ/MM/AAAA HH:MM)."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end:
            for name, message in check_slot(
                starts_at=start, ends_at=end, now=timezone.now()
            ).items():
                self.add_error(name, message)
        return data

    def _post_clean(self):
        # the model's check constraint would add its own generic message to ours
        if not self.errors:
            super()._post_clean()


class MoveForm(forms.Form):
    candidate = forms.ModelChoiceField(
        label=_("candidat·e"),
        queryset=Candidate.objects.none(),
        error_messages={"invalid_choice": _("Ce·tte candidat·e n'est pas dans vos formations.")},
    )
    to = forms.ChoiceField(label=_("vers la session"))

    def __init__(self, *args, candidates, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = candidates
        self.fields["candidate"].label_from_instance = lambda c: (
            f"{c.student.last_name} {c.student.first_name} ({c.student.student_number})"
        )
        self.fields["to"].choices = [("", "—")] + [(str(s.pk), session_label(s)) for s in sessions]

    def clean_to(self):
        value = self.cleaned_data["to"]
        if not value:
            raise ValidationError(_("Choisissez la session d'arrivée."))
        return int(value)


def session_label(session) -> str:
    start = timezone.localtime(session.starts_at)
    left = session.seats - getattr(session, "placed", 0)
    return _("%(day)s %(time)s — %(room)s (%(left)d places libres)") % {
        "day": f"{start:%d/%m/%Y}",
        "time": f"{start:%H:%M}",
        "room": session.room,
        "left": left,
    }
