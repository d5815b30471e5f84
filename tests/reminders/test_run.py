"""Reminder rules: who is targeted, once per student and occurrence, missed runs taken
when the worker is back, held for review, and the command's JSON."""

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Participation, Share
from pixoffice.mail import services as mail_services
from pixoffice.mail.models import Message
from pixoffice.mail.sending import send_pending
from pixoffice.reminders import services
from pixoffice.reminders.models import ReminderRule, ReminderRun
from tests.factories import AcademicYearFactory, CampaignFactory, StudentFactory

PARIS = ZoneInfo("Europe/Paris")
DEADLINE = dt.datetime(2026, 10, 27, 23, 59, tzinfo=PARIS)


@pytest.fixture
def world(programmes):
    year = AcademicYearFactory()
    geo = programmes["L2 Géographie"]
    campaign = CampaignFactory(
        code="MJPECY231", academic_year=year, programmes=[geo], deadline=DEADLINE
    )
    students = [
        StudentFactory(programme=geo, academic_year=year, email=f"s{n}@etu.example.fr")
        for n in range(3)
    ]
    StudentFactory(programme=programmes["L2 SED"], academic_year=year)  # not concerned
    joined = Participation.objects.create(
        campaign=campaign, identifier="x", student=students[0], last_name="A", first_name="B"
    )
    Share.objects.create(participation=joined, shared_at=DEADLINE - dt.timedelta(days=20))
    Participation.objects.create(
        campaign=campaign, identifier="y", student=students[1], last_name="C", first_name="D"
    )
    return campaign, students


def rule(campaign, audience=ReminderRule.Audience.NOT_JOINED, days_before=7, **kw):
    return ReminderRule.objects.create(
        name="J-7", campaign=campaign, days_before=days_before, audience=audience, **kw
    )


@pytest.mark.django_db
def test_not_joined_and_not_shared_audiences(world):
    campaign, students = world
    not_joined = rule(campaign)
    not_shared = rule(campaign, audience=ReminderRule.Audience.NOT_SHARED)
    now = DEADLINE - dt.timedelta(days=6)

    out = {o.rule: o for o in services.run_due(now=now)}

    assert out[not_joined.pk].targeted == [students[2].pk]
    assert out[not_shared.pk].targeted == [students[1].pk]
    message = Message.objects.get(student=students[2])
    assert "MJPECY231" in message.text and "27/10/2026" in message.text


@pytest.mark.django_db
def test_run_twice_and_after_a_crash_is_one_email_each(world):
    campaign, _students = world
    r = rule(campaign)
    now = DEADLINE - dt.timedelta(days=6)  # missed yesterday: taken today, once
    services.run_due(now=now)
    ReminderRun.objects.update(completed=False)  # as if the worker died mid-batch
    services.run_due(now=now)
    services.run_due(now=now + dt.timedelta(hours=1))
    send_pending(limit=100)
    send_pending(limit=100)

    assert [m.to for m in mail.outbox] == [["s2@etu.example.fr"]]
    assert ReminderRun.objects.get(rule=r).occurrence == dt.date(2026, 10, 20)


@pytest.mark.django_db
def test_not_yet_due_and_past_target_do_nothing(world):
    campaign, _students = world
    rule(campaign)

    early = services.run_due(now=DEADLINE - dt.timedelta(days=8))
    late = services.run_due(now=DEADLINE + dt.timedelta(minutes=1))

    assert [o.skipped for o in early + late] == ["not_due", "not_due"]
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_held_rule_waits_for_release(world):
    campaign, _students = world
    rule(campaign, hold=True)
    services.run_due(now=DEADLINE - dt.timedelta(days=1))
    send_pending(limit=10)
    assert mail.outbox == []

    mail_services.release_batch(ReminderRun.objects.get().batch)
    send_pending(limit=10)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_command_json_and_dry_run(world):
    campaign, students = world
    campaign.deadline = timezone.now() + dt.timedelta(days=2)  # the command runs now
    campaign.save()
    r = rule(campaign)
    out = io.StringIO()

    call_command("run_reminders", "--dry-run", "--json", stdout=out)

    data = json.loads(out.getvalue())
    assert data[0]["rule"] == r.pk and data[0]["targeted"] == [students[2].pk]
    assert data[0]["queued"] == 0 and not Message.objects.exists()
