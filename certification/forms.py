import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pixoffice.accounts.models import AcademicYear, Role, User
from rooms.models import Room

from .models import CertificationSession


class SessionForm(forms.ModelForm):
    """Date and start in Paris time; the academic year follows from the date."""

    day = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=_("heure de début"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    invigilators = forms.ModelMultipleChoiceField(
        label=_("surveillant·e·s"),
        queryset=User.objects.filter(role__in=[Role.STAFF, Role.ADMIN], is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CertificationSession
        fields = [
            "room", "seats", "programmes", "enrolment_closes_at",
            "pix_session_number", "access_code", "notes",
        ]  # fmt: skip
        widgets = {
            "programmes": forms.CheckboxSelectMultiple,
            "enrolment_closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        help_texts = {
            "enrolment_closes_at": _(
                "Vide : 48 heures avant le début. Ensuite, seul le bureau place ou déplace "
                "les candidat·e·s."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.select_related("site")
        if self.instance.pk:
            start = timezone.localtime(self.instance.starts_at)
            self.initial.update(
                day=start.date(),
                start=start.time(),
                invigilators=list(self.instance.invigilators.values_list("pk", flat=True)),
            )
        self.order_fields(["room", "day", "start", "seats", "invigilators"])

    def clean(self):
        data = super().clean()
        day, start = data.get("day"), data.get("start")
        if day and start:
            self.instance.starts_at = timezone.make_aware(dt.datetime.combine(day, start))
            year = AcademicYear.objects.filter(start__lte=day, end__gte=day).first()
            if year is None:
                raise ValidationError(
                    {"day": _("Aucune année universitaire ne couvre cette date.")}
                )
            self.instance.academic_year = year
            closes = data.get("enrolment_closes_at")
            if closes is not None and closes > self.instance.starts_at:
                raise ValidationError(
                    {
                        "enrolment_closes_at": _(
                            "La fin des inscriptions doit précéder le début de la session."
                        )
                    }
                )
        return data


class PlaceForm(forms.Form):
    student_number = forms.CharField(label=_("numéro étudiant"), max_length=30)

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.students = students

    def clean_student_number(self):
        number = self.cleaned_data["student_number"].strip()
        student = self.students.filter(student_number=number).first()
        if student is None:
            raise ValidationError(
                _("Aucun·e étudiant·e de vos formations n'a le numéro %(n)s.") % {"n": number}
            )
        self.student = student
        return number
