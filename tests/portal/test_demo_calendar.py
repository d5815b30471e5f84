"""Done when: a demo student of L2 Géographie sees their support session and their
campaign deadlines in the calendar page and in the iCal feed."""

import io

import pytest
from django.core.management import call_command
from django.utils.html import escape
from icalendar import Calendar

from campaigns.models import Campaign
from pixoffice.accounts.models import User
from pixoffice.events.models import SupportSession


@pytest.mark.django_db
def test_demo_geography_student_sees_session_and_deadlines(client):
    call_command("load_demo", stdout=io.StringIO())
    user = next(
        u
        for u in User.objects.filter(role="student", student__isnull=False).select_related(
            "student__programme"
        )
        if u.student.programme.name == "L2 Géographie"
    )
    session = SupportSession.objects.get(programme=user.student.programme)
    deadlines = list(
        Campaign.objects.filter(
            programmes=user.student.programme, academic_year=user.student.academic_year
        ).values_list("code", flat=True)
    )
    assert sorted(deadlines) == ["MJPECY231", "MJPECY232"]  # not last year's
    assert session.start.weekday() == 1 and deadlines
    client.force_login(user)

    body = client.get(f"/etudiant/calendrier/?mois={session.start:%Y-%m}").content.decode()
    token = user.student.calendar_feed.token
    client.logout()
    feed = Calendar.from_ical(client.get(f"/calendrier/{token}.ics").content)

    assert escape(session.title) in body
    summaries = [str(e["SUMMARY"]) for e in feed.walk("VEVENT")]
    assert session.title in summaries
    for code in deadlines:
        assert any(code in s for s in summaries), code
    assert not any("URRTVG494" in s for s in summaries)
