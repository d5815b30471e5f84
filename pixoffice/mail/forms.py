from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Message


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous")), *Message.Status.choices]
    )
    q = forms.CharField(
        label=_("Étudiant·e ou adresse"), required=False, max_length=100, strip=True
    )


class UncertainDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            ("sent", _("Il a bien été reçu : le marquer envoyé")),
            ("resend", _("Il n'a pas été reçu : l'envoyer de nouveau")),
        ],
        widget=forms.RadioSelect,
    )
