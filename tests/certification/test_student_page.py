import pytest
from django.urls import reverse

from certification.models import CertificationResult
from tests.factories.certification import CandidateFactory, SessionFactory, paris

pytestmark = pytest.mark.django_db


def test_the_student_sees_their_published_session_with_their_own_end_time(client, people):
    student = people["student_a"].student
    session = SessionFactory(starts_at=paris(2027, 3, 11, 9), status="published")
    CandidateFactory(session=session, student=student, extra_time_percent=33)
    CandidateFactory(session=SessionFactory(starts_at=paris(2027, 3, 12, 9)), student=student)
    CertificationResult.objects.create(
        certification_number=1, student=student, first_name="A", last_name="B",
        status="validated", score=507, level="Indépendant 2",
    )  # fmt: skip
    client.force_login(people["student_a"])

    text = client.get(reverse("certification:mine")).content.decode()

    assert "11/03/2027 à 09:00" in text
    assert "12/03/2027" not in text  # a draft session is not shown
    assert "11:35" in text and "temps majoré de 33 %" in text
    assert "une pièce d&#x27;identité" in text or "une pièce d'identité" in text
    assert "507" in text and "Validée" in text


def test_another_student_sees_nothing_of_it(client, people):
    CandidateFactory(
        session=SessionFactory(status="published"), student=people["student_a"].student
    )
    client.force_login(people["student_b"])

    text = client.get(reverse("certification:mine")).content.decode()

    assert "Vous n'êtes placé·e dans aucune session publiée." in text
