"""The Content-Security-Policy holds in a real browser: the key pages of each role,
on the demo data, load without a single violation (no inline script or style left),
and an inline script that did slip into a page would not run."""

import io
import re

import pytest
from django.core.management import call_command

from campaigns.models import Campaign
from grading.models import Scheme

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "pixoffice-demo"


def watch_violations(page) -> list[str]:
    """Every CSP violation the page reports, as « directive blocked-URI »."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # Init scripts are injected by the browser's debugging protocol, not by the page,
    # so the policy does not stop them: they can listen for what it blocks.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return violations


def log_in(page, base_url, email):
    page.goto(base_url + "/comptes/login/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/(equipe|etudiant)/$"))


def visit(page, base_url, paths):
    seen = {}
    for path in paths:
        response = page.goto(base_url + path)
        page.wait_for_load_state("load")
        seen[path] = response.status
        assert "Content-Security-Policy" in response.headers or (
            "content-security-policy" in response.headers
        ), path
    return seen


def test_key_pages_of_each_role_load_without_a_policy_violation(page, live_server):
    call_command("load_demo", stdout=io.StringIO())
    campaign = Campaign.objects.get(code="URRTVG494")
    scheme = Scheme.objects.order_by("pk").first()
    violations = watch_violations(page)

    log_in(page, live_server.url, "equipe@univ-exemple.fr")
    staff = visit(
        page,
        live_server.url,
        [
            "/equipe/",
            f"/campagnes/{campaign.pk}/",  # level bars
            f"/notes/modalites/{scheme.pk}/",  # histogram bars
            f"/notes/modalites/{scheme.pk}/modifier/",
            "/notes/grilles/",
            "/badges/",
            "/etudiants/",
            "/equipe/evenements/",
            "/equipe/courriels/",
            "/equipe/rappels/",
        ],
    )
    page.context.clear_cookies()
    log_in(page, live_server.url, "aurelien.simon@etu.univ-exemple.fr")
    student = visit(
        page,
        live_server.url,
        [
            "/etudiant/",
            "/mes-campagnes/",
            "/mes-notes/",
            "/etudiant/calendrier/",
            "/etudiant/ateliers/",
        ],
    )
    page.context.clear_cookies()
    log_in(page, live_server.url, "admin@univ-exemple.fr")
    admin = visit(page, live_server.url, ["/admin/", "/admin/campaigns/campaign/"])

    assert set(staff.values()) | set(student.values()) | set(admin.values()) == {200}
    assert violations == []


def test_an_injected_inline_script_does_not_run(page, live_server):
    page.goto(live_server.url + "/comptes/login/")

    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.__ran = true;';
            document.body.appendChild(script);
        }"""
    )

    assert page.evaluate("() => window.__ran === true") is False
