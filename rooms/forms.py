from django import forms

from .models import Room, Site


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["name", "address"]


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = [
            "site",
            "building",
            "name",
            "seats",
            "certified_until",
            "wheelchair_accessible",
            "notes",
        ]
        widgets = {"certified_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
