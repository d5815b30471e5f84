"""The AI-module badge in a real browser: a student uploads their baked badge and sees it
verified; another student uploads the same file and sees it sent for review with the
reason; staff reject it from the queue; that student sees « Refusé » and the reason."""

import pytest

from pixoffice.badges.models import BadgeSubmission
from tests.badges import bake
from tests.e2e.test_smoke_journeys import log_in
from tests.factories import ProgrammeFactory, StaffFactory, StudentUserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.badges import BadgeRequirementFactory

pytestmark = pytest.mark.e2e

QUEUE_SCREENSHOT = "/tmp/e2e-badge-queue.png"  # noqa: S108
STUDENT_SCREENSHOT = "/tmp/e2e-badge-student.png"  # noqa: S108
FOLLOW_UP_SCREENSHOT = "/tmp/e2e-badge-follow-up.png"  # noqa: S108
FILE_LABEL = "Fichier du badge (image PNG ou SVG, ou fichier JSON)"


def student_uploads(browser, live_server, email, badge_file):
    """Log in as a student, open « Mon badge IA », upload ``badge_file``; the page."""
    from playwright.sync_api import expect

    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + "/")
    log_in(page, email, PASSWORD)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mon badge IA"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon badge IA")
    expect(page.get_by_role("heading", name="Module IA — Open Badge")).to_be_visible()
    page.get_by_label(FILE_LABEL).set_input_files(str(badge_file))
    page.get_by_role("button", name="Déposer le badge").click()
    return page


def test_badge_upload_review_and_rejection(page, live_server, browser, tmp_path):
    from playwright.sync_api import expect

    geo = ProgrammeFactory(name="L2 Géographie")
    amelie = StudentUserFactory(
        email="amelie.dupont@etu.univ-exemple.fr",
        first_name="Amélie",
        last_name="Dupont",
        student__programme=geo,
        student__first_name="Amélie",
        student__last_name="Dupont",
    )
    StudentUserFactory(
        email="hugo.bernard@etu.univ-exemple.fr",
        first_name="Hugo",
        last_name="Bernard",
        student__programme=geo,
        student__first_name="Hugo",
        student__last_name="Bernard",
    )
    staff = StaffFactory(email="equipe@univ-exemple.fr", programmes=[geo])
    BadgeRequirementFactory(programmes=[geo])
    badge_file = tmp_path / "badge-ia.png"
    badge_file.write_bytes(bake.bake_png(bake.assertion(amelie.email)))

    # Amélie uploads her own badge: verified at once.
    own = student_uploads(browser, live_server, amelie.email, badge_file)
    expect(own.get_by_role("status")).to_contain_text("Votre badge est vérifié")
    expect(own.locator(".badge-current .badge-status")).to_have_text("Vérifié")
    expect(own.get_by_role("button", name="Déposer le badge")).to_have_count(0)
    own.context.close()

    # Hugo uploads the same file: kept, but for review, and he is told why.
    hugo = student_uploads(browser, live_server, "hugo.bernard@etu.univ-exemple.fr", badge_file)
    expect(hugo.locator(".badge-current .badge-status")).to_have_text("À vérifier")
    expect(hugo.locator(".badge-reason")).to_contain_text(
        "Le destinataire du badge ne correspond pas"
    )
    assert BadgeSubmission.objects.filter(status="review").count() == 1

    # Staff open the queue, find Hugo's badge and reject it with a reason.
    page.goto(live_server.url + "/")
    log_in(page, staff.email, PASSWORD)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Badges"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Badges IA déposés")
    row = page.get_by_role("row").filter(has_text="Bernard Hugo")
    expect(row).to_contain_text("MOOC IA pour tous")
    expect(row).to_contain_text("Le destinataire du badge ne correspond pas")
    expect(page.get_by_role("row").filter(has_text="Amélie")).to_have_count(0)  # verified
    page.screenshot(path=QUEUE_SCREENSHOT, full_page=True)
    row.get_by_label("Raison du refus (visible par l'étudiant·e)").fill(
        "Ce badge a été délivré à une autre personne : déposez le vôtre."
    )
    row.get_by_role("button", name="Refuser le badge de Hugo Bernard").click()
    expect(page.get_by_role("status")).to_contain_text("Le badge de Hugo Bernard est refusé")
    expect(page.get_by_role("row").filter(has_text="Bernard Hugo")).to_have_count(0)

    # The follow-up lists who still has no validated badge: Hugo, not Amélie.
    page.get_by_role("link", name="Badges exigés et suivi des étudiants sans badge").click()
    page.get_by_role("link", name="Module IA — Open Badge").click()
    expect(page.locator("[data-count=verified]")).to_have_text("1")
    expect(page.locator("[data-count=rejected]")).to_have_text("1")
    missing = page.get_by_role("table").filter(has_text="sans badge validé")
    expect(missing.get_by_role("row").filter(has_text="Bernard Hugo")).to_contain_text("Refusé")
    expect(missing.get_by_role("row").filter(has_text="Amélie")).to_have_count(0)
    page.screenshot(path=FOLLOW_UP_SCREENSHOT, full_page=True)

    # Hugo sees the refusal and its reason, and may upload again.
    hugo.reload()
    expect(hugo.locator(".badge-current .badge-status")).to_have_text("Refusé")
    expect(hugo.locator(".badge-reason")).to_contain_text(
        "Raison du refus : Ce badge a été délivré à une autre personne : déposez le vôtre."
    )
    expect(hugo.get_by_role("button", name="Déposer le badge")).to_be_visible()
    hugo.screenshot(path=STUDENT_SCREENSHOT, full_page=True)
    hugo.context.close()
