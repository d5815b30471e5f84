"""What every page shares: one current link in the navigation, languages named in
themselves, the favicon, the login errors marked on their fields."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def current_links(html: str) -> int:
    return html.count('aria-current="page"')


def test_student_navigation_marks_one_current_link(client, people):
    client.force_login(people["student_a"])

    notes = client.get(reverse("grading:mine")).content.decode()
    campaigns = client.get(reverse("campaigns:mine")).content.decode()

    assert current_links(notes) == 1
    assert 'href="/mes-notes/" aria-current="page"' in notes
    assert current_links(campaigns) == 1
    assert 'href="/mes-campagnes/" aria-current="page"' in campaigns


def test_certification_and_rooms_are_in_the_navigation(client, people):
    client.force_login(people["student_a"])
    mine = client.get(reverse("certification:mine")).content.decode()
    client.force_login(people["staff"])
    sessions = client.get(reverse("certification:session_list")).content.decode()
    rooms = client.get(reverse("rooms:list")).content.decode()

    assert current_links(mine) == 1
    assert f'href="{reverse("certification:mine")}" aria-current="page"' in mine
    assert current_links(sessions) == 1
    assert f'href="{reverse("certification:session_list")}" aria-current="page"' in sessions
    assert current_links(rooms) == 1
    assert f'href="{reverse("rooms:list")}" aria-current="page"' in rooms


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_language_is_named_in_itself(client, language):
    client.cookies["django_language"] = language

    html = client.get(reverse("account_login")).content.decode()

    assert '<option value="fr" lang="fr"' in html and ">Français</option>" in html
    assert '<option value="en" lang="en"' in html and ">English</option>" in html
    assert "Anglais" not in html


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_a_failed_login_marks_the_fields_and_focuses_the_first(client, people):
    response = client.post(
        reverse("account_login"), {"login": "a@etu.univ-exemple.fr", "password": "faux"}
    )

    html = response.content.decode()
    assert 'id="login-error"' in html
    assert 'autofocus aria-invalid="true" aria-describedby="login-error"' in html
    assert html.count('aria-invalid="true"') == 2


def test_zero_participants_is_singular_in_french(client, people):
    import datetime as dt

    from django.utils import timezone

    from tests.factories import CampaignFactory

    CampaignFactory(
        programmes=[people["student_a"].student.programme],
        deadline=timezone.now() + dt.timedelta(days=7),
    )
    client.force_login(people["staff"])

    html = client.get(reverse("portal:staff_home")).content.decode()

    assert ", 0 participant" in html and "0 participants" not in html


def test_fill_french_plurals_gives_each_plural_its_source_forms():
    from pixoffice.portal.management.commands.fill_french_plurals import fill

    po = "\n\n".join(
        [
            'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
            '#, python-format\nmsgid "%(n)s badge"\nmsgid_plural ""\n"%(n)s badges"\n'
            'msgstr[0] ""\nmsgstr[1] ""',
            'msgid "Envoyé"\nmsgstr ""',
        ]
    )

    text, filled = fill(po)

    assert filled == 1
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in text
    assert 'msgstr[0] "%(n)s badge"\nmsgstr[1] ""\n"%(n)s badges"' in text
    assert text.endswith('msgid "Envoyé"\nmsgstr ""')
    assert fill(text) == (text, 1)  # running it again changes nothing


def test_fill_french_plurals_drops_fuzzy_guesses():
    from pixoffice.portal.management.commands.fill_french_plurals import fill

    po = "\n\n".join(
        [
            'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
            '#, fuzzy, python-format\n#| msgid "%(n)s palier"\nmsgid "%(r)s inscrit"\n'
            'msgid_plural "%(r)s inscrits"\nmsgstr[0] "%(n)s palier"\nmsgstr[1] "%(n)s paliers"',
            '#, fuzzy\n#| msgid "Modifié le"\nmsgid "Modifier"\nmsgstr "Modifié le"',
        ]
    )

    text, _ = fill(po)

    assert "fuzzy" not in text and "#|" not in text and "palier" not in text
    assert '#, python-format\nmsgid "%(r)s inscrit"' in text
    assert 'msgstr[0] "%(r)s inscrit"\nmsgstr[1] "%(r)s inscrits"' in text
    assert text.endswith('msgid "Modifier"\nmsgstr ""')
