"""Issue 15, point 12: statuses, level names and the punctuation before a value go
through the translation layer (the English catalogue is the lead's); the password
pages wear the site's layout and the reset flow ends with a link to log in."""

import re

import pytest
from django.core import mail
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(monkeypatch):
    """English with a few entries the lead will put in the catalogue."""
    translation.activate("en")
    catalog = trans_real.translation("en")._catalog
    entries = {
        "un libellé suivi de sa valeur\x04%(label)s :": "%(label)s:",
        "avancé": "advanced",
    }
    saved = {key: catalog.get(key) for key in entries}
    for key, value in entries.items():
        catalog[key] = value
    yield
    for key, value in saved.items():
        if value is None:
            catalog._catalogs[0].pop(key, None)  # TranslationCatalog has no __delitem__
        else:
            catalog[key] = value
    translation.activate("fr")


def render(text: str, **context) -> str:
    return Template("{% load grading %}" + text).render(Context(context))


def test_a_label_and_its_value_take_the_punctuation_of_the_language(english):
    assert render("{{ 'Grade'|colon }} {{ v|num }}/20", v="1.5") == "Grade: 1.5/20"
    with translation.override("fr"):
        assert render("{{ 'Note'|colon }} {{ v|num }}/20", v="1.5") == "Note : 1,5/20"


def test_the_target_level_is_named_in_the_language_of_the_page(english, programmes):
    campaign = CampaignFactory(target_level=5)

    assert campaign.target_label == "advanced"
    with translation.override("fr"):
        assert campaign.target_label == "avancé"


def test_the_student_home_writes_no_french_colon_in_english(client, people, programmes, english):
    from tests.grading.published import build

    build(people, programmes)
    client.force_login(people["student_a"])
    client.cookies["django_language"] = "en"

    html = client.get(reverse("portal:student_home")).content.decode()

    assert "Pix L2:</strong>" in html and "14.5/20" in html
    assert "Pix L2</strong> :" not in html


def test_the_password_pages_wear_the_site_layout(client):
    for name in ["account_reset_password", "account_reset_password_done"]:
        html = client.get(reverse(name)).content.decode()
        assert 'class="skip-link"' in html and "/static/css/site.css" in html
        assert reverse("account_login") in html


def test_the_reset_flow_ends_with_a_link_to_log_in(client, people, password):
    client.post(reverse("account_reset_password"), {"email": "a@etu.univ-exemple.fr"})
    link = re.search(r"https?://[^/\s]+(/comptes/password/reset/key/\S+/)", mail.outbox[-1].body)[1]

    form = client.get(link, follow=True)
    assert 'class="skip-link"' in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": "un-nouveau-mot-de-passe-1", "password2": "un-nouveau-mot-de-passe-1"},
        follow=True,
    )

    html = done.content.decode()
    assert "Mot de passe enregistré" in html
    assert f'href="{reverse("account_login")}"' in html
