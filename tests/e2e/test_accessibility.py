"""axe-core in a real browser on the key pages of each role, on the demo data: any
violation fails (issue 15, point 10).

axe-core is vendored (``tests/e2e/vendor/axe.min.js``, from ``npm pack axe-core``) and
evaluated through the debugging protocol, which the page's Content-Security-Policy
does not govern (an injected ``<script>`` would be refused, as it should be).
"""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from campaigns.models import Campaign
from certification.models import CertificationSession
from grading.models import Scheme

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
DEMO_PASSWORD = "pixoffice-demo"
SAMPLE = Path(__file__).parents[1] / "data" / "profiles-collection-sup.csv"
RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + n.failureSummary),
  }));
}"""


def log_in(page, base_url, email):
    page.context.clear_cookies()
    page.goto(base_url + "/comptes/login/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/(equipe|etudiant|admin)/$|/$"))


def violations_on(page, base_url, paths) -> list[str]:
    found = []
    for path in paths:
        response = page.goto(base_url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof axe !== 'undefined'"):
            page.evaluate(AXE)
        for v in page.evaluate(RUN):
            found.append(
                f"{path}: {v['id']} ({v['impact']}) {v['help']}\n    " + "\n    ".join(v["nodes"])
            )
    return found


def test_key_pages_of_each_role_pass_axe(page, live_server):
    call_command("load_demo", stdout=io.StringIO())
    campaign = Campaign.objects.get(code="MJPECY231")
    scheme = Scheme.objects.order_by("pk").first()
    session = CertificationSession.objects.order_by("pk").first()
    base = live_server.url
    found = []

    log_in(page, base, "aurelien.simon@etu.univ-exemple.fr")
    found += violations_on(
        page,
        base,
        [
            "/etudiant/",
            "/mes-campagnes/",
            "/mes-notes/",
            "/etudiant/calendrier/",
            "/ma-certification/",
            "/mon-badge-ia/",
        ],
    )
    log_in(page, base, "equipe@univ-exemple.fr")
    found += violations_on(
        page,
        base,
        [
            "/equipe/",
            f"/campagnes/{campaign.pk}/",
            "/campagnes/imports/nouveau/",
            "/etudiants/imports/nouveau/",
            f"/notes/modalites/{scheme.pk}/",
            "/badges/",
            "/certification/sessions/",
            "/campagnes/",
            "/etudiants/",
            "/etudiants/imports/",
            "/notes/",
            "/notes/grilles/",
            f"/notes/modalites/{scheme.pk}/modifier/",
            "/badges/exigences/",
            "/equipe/evenements/",
            "/equipe/courriels/",
            "/equipe/rappels/",
            *([f"/certification/sessions/{session.pk}/"] if session else []),
        ],
    )
    # an import's page after an upload (the demo's export again: « rien de nouveau »)
    page.goto(base + "/campagnes/imports/nouveau/")
    page.set_input_files('input[type="file"]', str(SAMPLE))
    page.get_by_role("button", name="Voir l'aperçu").click()
    page.wait_for_url(re.compile(r"/campagnes/imports/\d+/$"))
    found += violations_on(page, base, [page.url.removeprefix(base)])
    log_in(page, base, "admin@univ-exemple.fr")
    found += violations_on(
        page, base, ["/admin/", "/admin/accounts/student/", "/admin/campaigns/campaign/"]
    )
    page.context.clear_cookies()
    found += violations_on(
        page, base, ["/comptes/login/", "/comptes/password/reset/", "/compte/activer/"]
    )

    assert found == [], "\n".join(found)


def test_axe_runs_and_reports_what_it_finds(page, live_server):
    """The check above is not vacuous: on a page with a bare image and an unlabelled
    field, axe reports both."""
    page.set_content(
        '<!doctype html><html lang="fr"><head><title>t</title></head><body><main>'
        '<h1>t</h1><img src="x.png"><input type="text"></main></body></html>'
    )
    page.evaluate(AXE)

    assert {v["id"] for v in page.evaluate(RUN)} >= {"image-alt", "label"}
