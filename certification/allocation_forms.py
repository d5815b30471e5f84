"""The allocation form: programmes within the staff member's scope, open sessions."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pixoffice.accounts.queries import programmes_visible_to

from .models import AllocationRun, CertificationSession


class SessionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        start = timezone.localtime(obj.starts_at)
        return ngettext(
            "%(day)s à %(start)s — %(room)s (%(seats)d place, %(status)s)",
            "%(day)s à %(start)s — %(room)s (%(seats)d places, %(status)s)",
            obj.seats,
        ) % {
            "day": f"{start:%d/%m/%Y}",
            "start": f"{start:%H:%M}",
            "room": obj.room,
            "seats": obj.seats,
            "status": obj.get_status_display(),
        }


class AllocationForm(forms.Form):
    programmes = forms.ModelMultipleChoiceField(
        label=_("formations"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    sessions = SessionChoice(
        label=_("sessions"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    solver = forms.ChoiceField(
        label=_("méthode"),
        choices=AllocationRun.Solver.choices,
        initial=AllocationRun.Solver.FLOW,
        help_text=_("Le solveur place le plus d'étudiant·e·s possible en gardant les groupes."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = programmes_visible_to(user).order_by("name")
        self.fields["sessions"].queryset = (
            CertificationSession.objects.exclude(status=CertificationSession.Status.CLOSED)
            .filter(starts_at__gte=timezone.now())
            .select_related("room__site")
            .order_by("starts_at", "room__name")
        )

    def clean_sessions(self):
        sessions = self.cleaned_data["sessions"]
        years = {s.academic_year_id for s in sessions}
        if len(years) > 1:
            raise forms.ValidationError(
                _("Choisissez des sessions d'une seule année universitaire.")
            )
        self.academic_year = sessions[0].academic_year if sessions else None
        return sessions
