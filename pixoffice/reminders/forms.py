from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.queries import campaigns_visible_to
from pixoffice.badges.queries import requirements_visible_to
from pixoffice.events.queries import workshops_visible_to

from .models import ReminderRule
from .queries import sessions_for_reminders

AUDIENCES = {
    "campaign": {ReminderRule.Audience.NOT_JOINED, ReminderRule.Audience.NOT_SHARED},
    "badge_requirement": {ReminderRule.Audience.BADGE_MISSING},
    "workshop": {ReminderRule.Audience.REGISTERED},
    "certification_session": {ReminderRule.Audience.CONVOKED},
}


class ReminderRuleForm(forms.ModelForm):
    class Meta:
        model = ReminderRule
        fields = ["name", "campaign", "badge_requirement", "workshop", "certification_session", "days_before", "audience", "hold", "active"]  # fmt: skip
        labels = {"campaign": _("Campagne"), "badge_requirement": _("Badge exigé"), "workshop": _("Atelier"), "certification_session": _("Session de certification")}  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns_visible_to(user)
        self.fields["badge_requirement"].queryset = requirements_visible_to(user)
        self.fields["workshop"].queryset = workshops_visible_to(user)
        self.fields["certification_session"].queryset = sessions_for_reminders(user)

    def clean(self):
        data = super().clean()
        targets = [name for name in AUDIENCES if data.get(name)]
        if len(targets) != 1:
            raise forms.ValidationError(
                _(
                    "Choisissez une seule cible : une campagne, un badge exigé, un atelier ou "
                    "une session de certification."
                )
            )
        audience = data.get("audience")
        if audience and audience not in AUDIENCES[targets[0]]:
            self.add_error(
                "audience",
                _("Ces destinataires ne conviennent pas à la cible choisie (%(target)s).")
                % {"target": self.fields[targets[0]].label},
            )
        return data
