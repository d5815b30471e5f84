import pytest
from django.utils import timezone

from pixoffice.events.demo import load_events_demo
from pixoffice.events.models import OfficeHours, SupportSession, Workshop
from tests.factories import AcademicYearFactory


@pytest.mark.django_db
def test_demo_sessions_on_the_seeds_weekdays_and_hours_twice_is_once(programmes):
    year = AcademicYearFactory()  # 2026-2027
    load_events_demo(year, programmes)
    load_events_demo(year, programmes)

    shown = {
        s.programme.name: timezone.localtime(s.start).strftime("%a %d/%m %H:%M")
        + timezone.localtime(s.end).strftime("–%H:%M")
        for s in SupportSession.objects.select_related("programme")
    }
    assert shown == {
        "L2 Sociologie": "Mon 12/10 12:00–13:00",
        "L2 Géographie": "Tue 13/10 12:30–13:30",
        "L2 Histoire": "Wed 14/10 12:00–13:00",
        "L2 SED": "Thu 15/10 12:00–13:00",
    }
    assert Workshop.objects.count() == 2
    hours = OfficeHours.objects.get()
    assert "BYDAY=TU,TH" in hours.rrule and hours.place == "bureau 1101"
