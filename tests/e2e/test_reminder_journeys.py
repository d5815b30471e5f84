"""A reminder in a real browser, to a real SMTP server: staff define a rule for a
campaign, preview it (who: the count and the list; what: a rendered sample), the
beat's job queues it, staff hold the send, then release it; the outbox sends it to an
aiosmtpd sink on loopback, whose mailbox then holds exactly the targeted students'
messages. Screenshots of each page, at desktop width and at 390 px, in /tmp/shots/."""

import datetime as dt
import email
import email.policy
from pathlib import Path

import pytest
from django.utils import timezone

from campaigns.models import Participation
from pixoffice.mail.models import Message
from pixoffice.mail.sending import send_pending
from pixoffice.reminders import services
from pixoffice.reminders.models import ReminderRule
from tests.e2e.test_smoke_journeys import log_in
from tests.factories import AcademicYearFactory, CampaignFactory, StaffFactory, StudentFactory
from tests.factories.accounts import PASSWORD, ProgrammeFactory
from tests.mail.conftest import smtp_sink  # noqa: F401 (the fixture: a real SMTP server)

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots")  # noqa: S108
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}


def shoot(page, name: str) -> None:
    """The page at both widths (full page), back at desktop width afterwards."""
    SHOTS.mkdir(exist_ok=True)
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"reminder-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(WIDTHS["desktop"])


def no_horizontal_scroll(page) -> bool:
    page.set_viewport_size(WIDTHS["mobile"])
    wide = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(WIDTHS["desktop"])
    return wide <= WIDTHS["mobile"]["width"]


@pytest.fixture
def world():
    year = AcademicYearFactory()
    geo, histoire = ProgrammeFactory(name="L2 Géographie"), ProgrammeFactory(name="L2 Histoire")
    deadline = timezone.localtime().replace(hour=23, minute=59, second=0, microsecond=0)
    campaign = CampaignFactory(
        name="Campagne de rentrée",
        code="GEOPIX26",
        academic_year=year,
        programmes=[geo],
        deadline=deadline + dt.timedelta(days=3),
    )

    def student(first, last, programme):
        return StudentFactory(
            first_name=first,
            last_name=last,
            programme=programme,
            academic_year=year,
            email=f"{first.lower()}.{last.lower()}@etu.univ-exemple.fr",
        )

    targeted = [student("Amelie", "Dupont", geo), student("Hugo", "Bernard", geo)]
    joined = student("Ines", "Martin", geo)  # joined: not targeted
    Participation.objects.create(
        campaign=campaign, identifier="ines", student=joined, last_name="Martin", first_name="Ines"
    )
    student("Louis", "Petit", histoire)  # another programme: not targeted
    staff = StaffFactory(email="equipe@univ-exemple.fr", programmes=[geo])
    return campaign, targeted, staff


def test_staff_define_preview_hold_and_release_a_reminder(
    page,
    live_server,
    world,
    smtp_sink,  # noqa: F811 (the fixture imported above)
    settings,
):
    from playwright.sync_api import expect

    campaign, targeted, staff = world
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""

    # Staff define the rule in the site.
    page.goto(live_server.url + "/")
    log_in(page, staff.email, PASSWORD)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Rappels"
    ).click()
    page.get_by_role("link", name="Nouvelle règle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle règle de rappel")
    page.get_by_label("Intitulé").fill("Relance J-7 : campagne de rentrée")
    page.get_by_label("Campagne", exact=True).select_option(str(campaign.pk))
    page.get_by_label("Jours avant").fill("7")
    page.get_by_label("Destinataires").select_option(label="n'ont pas rejoint la campagne")
    shoot(page, "form")
    page.get_by_role("button", name="Enregistrer").click()

    # The preview: who (the count and the list) and what (a rendered sample).
    expect(page.get_by_role("status")).to_contain_text(
        "Règle « Relance J-7 : campagne de rentrée » enregistrée."
    )
    expect(
        page.get_by_role("heading", name="Aperçu : 2 étudiants visés aujourd'hui")
    ).to_be_visible()
    expect(page.get_by_text("dû maintenant")).to_be_visible()
    sample = page.get_by_role("region", name="Exemple")
    expect(sample).to_contain_text("Rappel : « Campagne de rentrée » avant le")
    expect(sample).to_contain_text("(code GEOPIX26)")
    expect(sample).to_contain_text("Bonjour Hugo,")  # the first of the list, by name
    listed = page.locator("main ul").last
    expect(listed).to_contain_text("Bernard Hugo — L2 Géographie")
    expect(listed).to_contain_text("Dupont Amelie — L2 Géographie")
    expect(page.get_by_text("Martin Ines")).to_have_count(0)
    expect(page.get_by_text("Petit Louis")).to_have_count(0)
    shoot(page, "preview")
    assert no_horizontal_scroll(page)

    # The beat's job queues it (the task reminders.run_due calls this).
    (outcome,) = services.run_due()
    assert outcome.queued == 2 and not outcome.skipped

    page.reload()
    occurrence = dt.date.fromisoformat(outcome.occurrence)  # 7 days before the deadline
    page.get_by_role("link", name=occurrence.strftime("%d/%m/%Y")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Relance J-7 : campagne de rentrée"
    )
    expect(page.locator("main")).to_contain_text("2 courriels dans cet envoi.")
    expect(page.locator("main")).to_contain_text("en attente : 2")

    # Hold it: nothing leaves while it is held.
    page.get_by_role("button", name="Retenir l'envoi").click()
    expect(page.get_by_role("status")).to_contain_text("2 courriel(s) retenu(s).")
    expect(page.locator("main")).to_contain_text("Retenus : 2")
    shoot(page, "held")
    assert send_pending().sent == 0
    assert smtp_sink.received == []

    # Release it: the outbox sends it to the SMTP server.
    page.get_by_role("button", name="Libérer l'envoi").click()
    expect(page.get_by_role("status")).to_contain_text("2 courriel(s) libéré(s) : ils partent.")
    report = send_pending()
    assert (report.sent, report.failed, report.retried) == (2, 0, 0)
    assert send_pending().sent == 0  # a second run sends nothing twice

    received = sorted(to for recipients, _content in smtp_sink.received for to in recipients)
    assert received == sorted(s.email for s in targeted)
    for recipients, content in smtp_sink.received:
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert parsed["To"] == recipients[0]
        # Django folds an encoded subject onto a second line; the parser keeps the fold's space
        subject = str(parsed["Subject"]).strip()
        assert subject.startswith("Rappel : « Campagne de rentrée » avant le")
        body = parsed.get_body(preferencelist=("plain",)).get_content()
        assert "(code GEOPIX26)" in body and "/mes-campagnes/" in body
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}

    page.reload()
    expect(page.locator("main")).to_contain_text("envoyés : 2")
    table = page.get_by_role("table")
    for student in targeted:
        expect(table.get_by_role("row").filter(has_text=student.email)).to_contain_text("envoyé")
    shoot(page, "sent")
    assert no_horizontal_scroll(page)
    assert ReminderRule.objects.get().runs.get().targeted == 2
