"""axe-core on the pages added for issues 15 and 16, as the role that uses them, on
the demo data: the personal data pages (student and staff), the statistics and
retention pages, the API token pages and docs, the unmatched queue; and the login
page with each kind of university provider configured. Any violation fails."""

import io
import re

import pytest
from django.core.management import call_command

from campaigns.models import Campaign
from pixoffice.accounts.models import Student
from tests.accounts.test_login_page import OIDC
from tests.e2e.test_accessibility import AXE, RUN, log_in, violations_on

pytestmark = pytest.mark.e2e


def test_the_new_pages_of_each_role_pass_axe(page, live_server):
    call_command("load_demo", stdout=io.StringIO())
    student = Student.objects.get(email="aurelien.simon@etu.univ-exemple.fr")
    campaign = Campaign.objects.get(code="MJPECY231")
    base = live_server.url
    found = []

    log_in(page, base, "aurelien.simon@etu.univ-exemple.fr")
    found += violations_on(page, base, ["/mes-donnees/", "/mes-donnees/copie/"])

    log_in(page, base, "equipe@univ-exemple.fr")
    paths = [
        f"/etudiants/{student.pk}/donnees-personnelles/",
        "/etudiants/donnees-personnelles/journal/",
        "/statistiques/",
        f"/campagnes/{campaign.pk}/non-rattaches/",
    ]
    found += violations_on(page, base, paths)
    # the copy once produced: the log has a row
    page.goto(base + paths[0])
    with page.expect_download():
        page.get_by_role("button", name="Produire la copie (JSON)").click()
    found += violations_on(page, base, paths[:2])

    log_in(page, base, "admin@univ-exemple.fr")
    found += violations_on(
        page, base, ["/statistiques/", "/conservation/", "/api/jetons/", "/api/jetons/nouveau"]
    )
    page.get_by_label("Nom").fill("Pégase")
    page.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Créer le jeton").click()
    page.get_by_label("Secret").wait_for()
    found += violations_on(page, base, [page.url.removeprefix(base), "/api/jetons/"])

    page.context.clear_cookies()
    response = page.goto(base + "/api/v1/docs")
    assert response.status == 200
    page.locator(".swagger-ui .info .title").wait_for()
    page.evaluate(AXE)
    found += [f"/api/v1/docs: {v['id']} {v['help']} {v['nodes']}" for v in page.evaluate(RUN)]

    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "provider",
    [
        {"SSO_CAS_SERVER_URL": "https://cas.univ-exemple.fr/cas/"},
        {"SSO_CAS_SERVER_URL": "https://cas.univ-exemple.fr/cas/", "PASSWORD_LOGIN": "shown"},
        {"SSO_CAS_SERVER_URL": "https://cas.univ-exemple.fr/cas/", "SOCIALACCOUNT_PROVIDERS": OIDC},
    ],
    ids=["cas", "cas-password-shown", "cas-and-oidc"],
)
def test_the_login_page_with_a_university_provider_passes_axe(
    page, live_server, settings, provider
):
    for name, value in provider.items():
        setattr(settings, name, value)
    found = violations_on(page, live_server.url, ["/comptes/login/"])
    page.set_viewport_size({"width": 375, "height": 800})
    found += violations_on(page, live_server.url, ["/comptes/login/"])
    assert page.get_by_role("button", name=re.compile("ENT|universitaire")).count() >= 1

    assert found == [], "\n".join(found)
