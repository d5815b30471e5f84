"""The CAS login in a real browser, against the CAS server on loopback
(tests/accounts/fake_cas.py): « Se connecter avec l'ENT », back with a ticket,
single logout from the CAS server, logout through the CAS server; and axe-core on
the login page in each PASSWORD_LOGIN mode and on the refusal pages."""

import re

import pytest
import requests

from tests.accounts.fake_cas import fake_cas_fixture  # noqa: F401 (the fake_cas fixture)
from tests.e2e.test_accessibility import AXE, RUN
from tests.factories import StudentFactory

pytestmark = pytest.mark.e2e


def axe(page) -> list[str]:
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE)
    return [f"{page.url}: {v['id']} {v['help']} {v['nodes']}" for v in page.evaluate(RUN)]


def test_a_student_logs_in_with_the_ent_and_single_logout_ends_the_session(
    page, live_server, programmes, fake_cas
):
    StudentFactory(student_number="03201590", email="heloise.legoff@etu.univ-exemple.fr")
    fake_cas.log_in_as("hlegoff", supannEtuId="03201590")

    page.goto("/comptes/login/")
    page.get_by_role("button", name="Se connecter avec l'ENT").click()
    page.wait_for_url(re.compile(r"/etudiant/$"))
    assert [user for _path, _ticket, user in fake_cas.validations] == ["hlegoff"]

    # the CAS server's single logout, posted to the service as a CAS server does
    ticket, service = fake_cas.issued[-1]
    answer = requests.post(
        service, data={"logoutRequest": fake_cas.logout_request(ticket)}, timeout=10
    )
    assert answer.status_code == 200
    page.reload()
    page.wait_for_url(re.compile(r"/comptes/login/"))

    # log in again, then out: through the CAS server's /logout, back to the login page
    page.get_by_role("button", name="Se connecter avec l'ENT").click()
    page.wait_for_url(re.compile(r"/etudiant/$"))
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/comptes/login/$"))
    assert fake_cas.logouts == [{"service": [live_server.url + "/comptes/login/"]}]


def test_login_page_and_refusals_pass_axe(page, live_server, programmes, fake_cas, settings):
    found = []
    page.goto("/comptes/login/")
    found += axe(page)
    page.get_by_text("Connexion par mot de passe (personnel)").click()
    page.get_by_label("Adresse électronique").fill("personne@univ-exemple.fr")
    page.get_by_label("Mot de passe").fill("mauvais")
    page.get_by_role("button", name="Se connecter", exact=True).click()
    page.wait_for_load_state("load")
    assert page.get_by_role("alert").count() >= 1
    found += axe(page)
    for mode in ("shown", "off"):
        settings.PASSWORD_LOGIN = mode
        page.goto("/comptes/login/")
        found += axe(page)
    # an unknown person, then a forged ticket
    fake_cas.log_in_as("intrus", supannEtuId="99999999", mail="intrus@univ-exemple.fr")
    page.goto("/comptes/login/")
    page.get_by_role("button", name="Se connecter avec l'ENT").click()
    page.get_by_role(
        "heading", name="Accès réservé aux étudiants inscrits et à l'équipe"
    ).wait_for()
    found += axe(page)
    page.goto("/comptes/cas/login/?next=%2F&ticket=ST-forged")
    page.get_by_role("heading", name="Connexion par l'ENT impossible").wait_for()
    found += axe(page)

    assert found == [], "\n".join(found)
