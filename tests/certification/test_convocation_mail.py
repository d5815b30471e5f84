"""Convocation emails through the outbox: one per candidate and version of what the
convocation says, with the session as an ``.ics``; republishing never sends twice."""

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from icalendar import Calendar

from certification import convocations, services
from certification.models import CertificationSession
from pixoffice.mail import sending
from pixoffice.mail.models import Message
from pixoffice.mail.rendering import render_email
from tests.factories import StudentFactory
from tests.factories.certification import CandidateFactory, SessionFactory, paris
from tests.factories.rooms import RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(programmes):
    """A draft session on Thursday 11 March 2027 at 9:00 in the salle PIX, with two
    candidates of L2 Géographie, one with a tiers-temps."""
    room = RoomFactory(name="Salle PIX", building="Le Patio, bâtiment 4")
    session = SessionFactory(room=room, starts_at=paris(2027, 3, 11, 9))
    geo = programmes["L2 Géographie"]
    tiers = CandidateFactory(
        session=session,
        student=StudentFactory(first_name="Inès", programme=geo, email="ines@etu.fr"),
        extra_time_percent=33,
    )
    plain = CandidateFactory(
        session=session, student=StudentFactory(first_name="Noé", programme=geo, email="noe@etu.fr")
    )
    return {"session": session, "tiers": tiers, "plain": plain}


@pytest.fixture
def before_the_session(monkeypatch):
    """Publishing happens before the session (convocations are not sent for the past)."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: paris(2027, 3, 1, 10))


def publish(session, capture):
    with capture(execute=True):
        services.publish_session(session=CertificationSession.objects.get(pk=session.pk))


def test_publishing_queues_one_convocation_per_candidate_with_its_ics(
    draft, before_the_session, django_capture_on_commit_callbacks
):
    publish(draft["session"], django_capture_on_commit_callbacks)

    messages = {m.to: m for m in Message.objects.filter(kind="convocation")}
    assert sorted(messages) == ["ines@etu.fr", "noe@etu.fr"]
    ines = messages["ines@etu.fr"]
    assert ines.subject == "Convocation : certification Pix le jeudi 11 mars à 09:00"
    assert "Fin de votre épreuve : 11:35" in ines.text
    assert "Temps majoré de 33 % : votre test dure 2 h 20." in ines.text
    assert "Salle PIX" in ines.text and "pièce d'identité" in ines.text
    assert reverse("certification:mine") in ines.text
    assert "Fin de votre épreuve : 11:00" in messages["noe@etu.fr"].text
    assert ines.key.startswith(
        f"convocation:session:{draft['session'].pk}/candidate:{draft['tiers'].pk}/version:1-"
    )
    assert ines.batch.label == "Convocations — certification du 11/03/2027"

    [attachment] = ines.attachments.all()
    assert (attachment.filename, attachment.mimetype) == (
        "certification-pix-2027-03-11.ics",
        "text/calendar",
    )
    [event] = Calendar.from_ical(bytes(attachment.content)).walk("VEVENT")
    assert str(event["uid"]) == f"convocation-{draft['tiers'].pk}@pixoffice"
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == paris(2027, 3, 11, 9)
    assert event.decoded("dtend") == paris(2027, 3, 11, 11, 35)  # her own end
    assert str(event.decoded("dtstart").tzinfo) == "Europe/Paris"
    assert "Salle PIX" in str(event["location"])


def test_republishing_or_saving_unchanged_never_queues_twice(
    draft, before_the_session, django_capture_on_commit_callbacks
):
    session = draft["session"]
    publish(session, django_capture_on_commit_callbacks)
    CertificationSession.objects.filter(pk=session.pk).update(status="draft")
    publish(session, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_session(session=CertificationSession.objects.get(pk=session.pk))
        draft["plain"].attendance = "present"
        draft["plain"].save()

    assert Message.objects.filter(kind="convocation").count() == 2
    assert convocations.queue_convocations(session_ids=[session.pk]) == 0


def test_a_session_that_moves_sends_a_new_version_to_each(
    draft, before_the_session, django_capture_on_commit_callbacks
):
    session = draft["session"]
    publish(session, django_capture_on_commit_callbacks)
    moved = CertificationSession.objects.get(pk=session.pk)
    moved.starts_at = paris(2027, 3, 11, 14)

    with django_capture_on_commit_callbacks(execute=True):
        services.save_session(session=moved)

    latest = Message.objects.filter(kind="convocation", to="ines@etu.fr").order_by("pk")
    assert latest.count() == 2
    assert "/version:2-" in latest.last().key
    assert latest.last().subject.startswith("Convocation modifiée : certification Pix le jeudi")
    assert "Fin de votre épreuve : 16:35" in latest.last().text
    [event] = Calendar.from_ical(bytes(latest.last().attachments.get().content)).walk("VEVENT")
    assert event["sequence"] == 1
    assert str(event["uid"]) == f"convocation-{draft['tiers'].pk}@pixoffice"


def test_a_candidate_placed_after_publication_is_convoked_and_moving_back_is_news(
    draft, before_the_session, people, django_capture_on_commit_callbacks
):
    session = draft["session"]
    publish(session, django_capture_on_commit_callbacks)
    student = StudentFactory(email="late@etu.fr")
    with django_capture_on_commit_callbacks(execute=True):
        candidate = services.place_candidate(session_id=session.pk, student=student)
    assert Message.objects.filter(to="late@etu.fr").count() == 1

    other = SessionFactory(starts_at=paris(2027, 3, 12, 9), status="published")
    for target in [other, session]:  # moved there, then back
        with django_capture_on_commit_callbacks(execute=True):
            candidate.session = target
            candidate.save()

    keys = list(
        Message.objects.filter(to="late@etu.fr").order_by("pk").values_list("key", flat=True)
    )
    assert [k.split("/version:")[1][0] for k in keys] == ["1", "2", "3"]
    assert [k.split("/")[0] for k in keys] == [
        f"convocation:session:{session.pk}",
        f"convocation:session:{other.pk}",
        f"convocation:session:{session.pk}",
    ]


def test_no_convocation_for_a_draft_or_past_session(draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        CandidateFactory(session=draft["session"])  # a draft
        past = SessionFactory(starts_at=paris(2026, 10, 1, 9), status="published")
        CandidateFactory(session=past)

    assert not Message.objects.filter(kind="convocation").exists()


def test_the_outbox_sends_the_ics_with_the_message(
    draft, before_the_session, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    publish(draft["session"], django_capture_on_commit_callbacks)

    report = sending.send_pending(limit=10)

    assert report.sent == 2
    sent = {m.to[0]: m for m in django_mail.outbox}
    [(name, content, mimetype)] = sent["ines@etu.fr"].attachments
    assert (name, mimetype) == ("certification-pix-2027-03-11.ics", "text/calendar")
    data = content.encode() if isinstance(content, str) else content
    assert b"TZID:Europe/Paris" in data and b"DTEND;TZID=Europe/Paris:20270311T113500" in data
    assert sent["ines@etu.fr"].alternatives[0][1] == "text/html"


def test_the_templates_render_in_english_too(draft):
    from certification import documents

    context = {
        **documents.convocation_page(draft["tiers"]),
        "link": "https://pix.example/ma-certification/",
        "moved": False,
        "location": "Caen Campus 1, salle PIX",
    }
    rendered = render_email(kind="convocation", context=context, language="en")

    assert "11:35" in rendered.text and "https://pix.example/ma-certification/" in rendered.html
    assert rendered.subject


def test_no_address_no_message(draft, before_the_session):
    nobody = CandidateFactory(
        session=SessionFactory(starts_at=paris(2027, 3, 11, 14), status="published"),
        student=StudentFactory(email=""),
    )

    assert convocations.queue_convocation(nobody) == (None, False)
    assert not Message.objects.exists()


def test_an_allocation_applied_to_a_published_session_convokes_its_candidates(
    before_the_session, django_capture_on_commit_callbacks
):
    from certification import allocation_runs
    from tests.certification.test_allocation import make_eligible
    from tests.factories import ProgrammeFactory

    geo = ProgrammeFactory(name="L2 Géographie")
    published = SessionFactory(starts_at=paris(2027, 3, 11, 9), seats=5, status="published")
    students = [StudentFactory(programme=geo, group="TD1") for _ in range(3)]
    make_eligible(students)
    run = allocation_runs.propose_allocation(
        programmes=type(geo).objects.filter(pk=geo.pk),
        session_ids=[published.pk],
        academic_year=published.academic_year,
        today=paris(2027, 3, 1).date(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        allocation_runs.apply_allocation(run_id=run.pk)

    convoked = Message.objects.filter(kind="convocation").values_list("student_id", flat=True)
    assert sorted(convoked) == sorted(s.pk for s in students)
