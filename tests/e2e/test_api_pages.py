"""The API's documentation page (Swagger UI, served from the site) and the admins'
token pages work under the Content-Security-Policy: rendered, without a violation."""

import pytest

from tests.e2e.test_content_security_policy import watch_violations

pytestmark = pytest.mark.e2e


def test_the_api_docs_page_renders_without_a_policy_violation(page, live_server):
    violations = watch_violations(page)

    response = page.goto(live_server.url + "/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()  # the schema was fetched and drawn
    page.get_by_text("/api/v1/students/{student_number}/notes").first.wait_for()

    assert response.status == 200
    assert violations == []


def test_an_admin_creates_a_token_in_the_browser(page, live_server, people, programmes):
    from pixoffice.api.models import ApiToken
    from tests.e2e.test_content_security_policy import log_in

    people["admin"].set_password("pixoffice-demo")
    people["admin"].save()
    violations = watch_violations(page)
    log_in(page, live_server.url, "admin@univ-exemple.fr")

    page.get_by_role("link", name="Jetons d'API").click()
    page.get_by_role("link", name="Nouveau jeton").click()
    page.get_by_label("Nom").fill("Pégase")
    page.get_by_label("L2 Histoire").check()
    page.get_by_role("button", name="Créer le jeton").click()
    secret = page.get_by_label("Secret").input_value()

    assert secret.startswith("pxo_")
    assert ApiToken.objects.get().name == "Pégase"
    page.get_by_role("link", name="Tous les jetons").click()
    page.get_by_role("button", name="Révoquer").click()
    page.get_by_text("Jeton « Pégase » révoqué.").wait_for()
    assert violations == []
