"""Staff define a reminder for a campaign in the site and preview it (who, what)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pixoffice.reminders.models import ReminderRule
from tests.factories import AcademicYearFactory, CampaignFactory, StudentFactory


@pytest.fixture
def campaign(programmes):
    return CampaignFactory(
        code="MJPECY231",
        academic_year=AcademicYearFactory(),
        programmes=[programmes["L2 Géographie"]],
        deadline=timezone.now() + dt.timedelta(days=3),
    )


@pytest.mark.django_db
def test_staff_define_a_campaign_reminder_and_preview_who_and_what(staff_client, campaign):
    ines = StudentFactory(
        programme=campaign.programmes.get(),
        academic_year=campaign.academic_year,
        last_name="Benali",
    )
    response = staff_client.post(
        "/equipe/rappels/nouveau",
        {
            "name": "J-7 MJPECY231",
            "campaign": campaign.pk,
            "days_before": 7,
            "audience": "not_joined",
            "hold": "on",
            "active": "on",
        },
    )
    rule = ReminderRule.objects.get()
    assert response.status_code == 302 and rule.hold

    body = staff_client.get(f"/equipe/rappels/{rule.pk}/").content.decode()

    # Benali and the two students of the people fixture: none has joined
    assert "Aperçu : 3 étudiants visés aujourd'hui" in body and ines.last_name in body
    assert "MJPECY231" in body and "dû maintenant" in body


@pytest.mark.django_db
def test_a_rule_with_two_targets_or_the_wrong_audience_is_refused(staff_client, campaign):
    from tests.factories.events import WorkshopFactory

    workshop = WorkshopFactory(programme=campaign.programmes.get())
    two = staff_client.post(
        "/equipe/rappels/nouveau",
        {
            "name": "x",
            "campaign": campaign.pk,
            "workshop": workshop.pk,
            "days_before": 1,
            "audience": "registered",
        },
    )
    wrong = staff_client.post(
        "/equipe/rappels/nouveau",
        {"name": "x", "workshop": workshop.pk, "days_before": 1, "audience": "not_joined"},
    )

    assert "Choisissez une seule cible" in two.content.decode()
    assert "ne conviennent pas à la cible choisie (Atelier)" in wrong.content.decode()
    assert not ReminderRule.objects.exists()


@pytest.mark.django_db
def test_staff_of_another_programme_cannot_see_the_rule(client, people, campaign):
    rule = ReminderRule.objects.create(
        name="J-1", campaign=campaign, days_before=1, audience="not_joined"
    )
    client.force_login(people["staff_other"])

    assert client.get(f"/equipe/rappels/{rule.pk}/").status_code == 404
    assert client.get("/equipe/rappels/").context["rules"].count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_rule_list_query_count(staff_client, campaign, count):
    for n in range(count):
        ReminderRule.objects.create(
            name=f"J-{n}", campaign=campaign, days_before=n, audience="not_joined"
        )
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get("/equipe/rappels/").status_code == 200
    assert len(queries) == 3, "\n".join(q["sql"] for q in queries)
