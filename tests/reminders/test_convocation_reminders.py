"""Reminder rules for a certification session: « 2 jours avant la convocation », to the
convoked candidates only, once each, with their own end time."""

import pytest

from pixoffice.mail.models import Message
from pixoffice.reminders import services
from pixoffice.reminders.models import ReminderRule
from tests.factories import StudentFactory
from tests.factories.certification import CandidateFactory, SessionFactory, paris
from tests.factories.rooms import RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(programmes):
    """A published session on Thursday 11 March 2027 at 9:00 with two candidates of L2
    Géographie (one with a tiers-temps); another session's candidate is not concerned."""
    geo = programmes["L2 Géographie"]
    session = SessionFactory(
        room=RoomFactory(name="Salle PIX"), starts_at=paris(2027, 3, 11, 9), status="published"
    )
    for email, extra in [("ines@etu.fr", 33), ("noe@etu.fr", 0)]:
        CandidateFactory(
            session=session,
            student=StudentFactory(programme=geo, email=email),
            extra_time_percent=extra,
        )
    CandidateFactory(
        session=SessionFactory(starts_at=paris(2027, 3, 12, 9), status="published"),
        student=StudentFactory(programme=geo, email="other@etu.fr"),
    )
    return session


def convocation_rule(session, **kw):
    return ReminderRule.objects.create(
        name="J-2 certification",
        certification_session=session,
        days_before=2,
        audience=ReminderRule.Audience.CONVOKED,
        **kw,
    )


def test_two_days_before_the_convoked_get_one_reminder_each(session):
    rule = convocation_rule(session)

    early = services.run_rule(rule, now=paris(2027, 3, 9, 8, 59))
    first = services.run_rule(rule, now=paris(2027, 3, 9, 9, 0))
    again = services.run_rule(rule, now=paris(2027, 3, 10, 12))

    assert early.skipped == "not_due"
    assert first.occurrence == "2027-03-09" and first.queued == 2
    assert again.skipped == "done"
    messages = {m.to: m for m in Message.objects.filter(kind="reminder")}
    assert sorted(messages) == ["ines@etu.fr", "noe@etu.fr"]
    ines = messages["ines@etu.fr"]
    assert ines.subject == "Rappel : certification Pix le jeudi 11 mars à 09:00"
    assert "convoqué·e à la certification Pix le jeudi 11 mars 2027 à 09:00" in ines.text
    assert "Fin de votre épreuve : 11:35" in ines.text
    assert "Salle PIX" in ines.text and "pièce d'identité" in ines.text
    assert "/ma-certification/" in ines.text
    assert "Fin de votre épreuve : 11:00" in messages["noe@etu.fr"].text


def test_a_session_back_to_draft_reminds_nobody(session):
    rule = convocation_rule(session)
    session.status = "draft"
    session.save()

    assert list(services.targeted_students(rule)) == []


def test_staff_define_a_convocation_reminder_in_the_site(staff_client, session):
    response = staff_client.post(
        "/equipe/rappels/nouveau",
        {
            "name": "J-2 certification",
            "certification_session": session.pk,
            "days_before": 2,
            "audience": "convoked",
            "active": "on",
        },
    )

    rule = ReminderRule.objects.get()
    assert response.status_code == 302
    assert rule.certification_session == session
    page = staff_client.get(f"/equipe/rappels/{rule.pk}/").content.decode()
    assert "Rappel : certification Pix le jeudi 11 mars à 09:00" in page
    assert "mardi 9 mars 2027, 09:00" in page


def test_convoked_goes_with_a_session_only(staff_client, session):
    response = staff_client.post(
        "/equipe/rappels/nouveau",
        {
            "name": "J-2",
            "certification_session": session.pk,
            "days_before": 2,
            "audience": "not_joined",
        },
    )

    assert "Ces destinataires ne conviennent pas à la cible choisie" in response.content.decode()
    assert not ReminderRule.objects.exists()


def test_staff_of_another_programme_cannot_target_the_session(client, people, session):
    client.force_login(people["staff_other"])  # follows L2 Histoire: no candidate of theirs

    response = client.post(
        "/equipe/rappels/nouveau",
        {"name": "J-2", "certification_session": session.pk, "days_before": 2,
         "audience": "convoked"},
    )  # fmt: skip

    assert response.status_code == 200
    assert not ReminderRule.objects.exists()
    convocation_rule(session)
    assert client.get("/equipe/rappels/").content.decode().count("J-2 certification") == 0
