"""Issue 15, point 12, with the real English catalogue: the follow-up of a campaign
imported from the Pix Orga sample, and a student's campaigns, leave no French status
or level name on an English page."""

import re

import pytest
from django.urls import reverse

from campaigns.models import Participation
from tests.campaigns.test_views import imported  # noqa: F401 (a fixture)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
FRENCH = [
    "Pas encore rejoint",
    "pas encore rejoint",
    "Commencé, pas envoyé",
    "Envoyé",
    "envoyé",
    "niveau visé",
    "avancé",
    "Sous le niveau visé",
]


def _visible_text(html: str) -> str:
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"<[^>]+>", " ", body)


def test_the_follow_up_in_english_names_every_status_in_english(staff_client, imported):  # noqa: F811
    staff_client.cookies["django_language"] = "en"

    html = staff_client.get(reverse("campaigns:detail", args=[imported.pk])).content.decode()

    text = _visible_text(html)
    assert '<html lang="en"' in html
    for english in ["Not joined yet", "Started, not shared", "Shared"]:
        assert english in text
    assert [word for word in FRENCH if word in text] == []


def test_a_student_reads_the_target_level_in_english(client, imported):  # noqa: F811
    participation = Participation.objects.filter(
        campaign=imported, student__isnull=False
    ).select_related("student")[0]
    student = participation.student
    student.user = UserFactory(email="etudiant-en@etu.univ-exemple.fr")
    student.save()
    client.force_login(student.user)
    client.cookies["django_language"] = "en"

    text = _visible_text(client.get(reverse("campaigns:mine")).content.decode())

    assert "target level" in text
    assert [word for word in FRENCH if word in text] == []
