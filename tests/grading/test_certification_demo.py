import io

import pytest
from django.core.management import call_command

from certification.models import CertificationResult
from grading import explain
from grading.demo import STRASBOURG_SCHEME
from grading.models import Note

pytestmark = pytest.mark.django_db


def test_on_the_demo_a_strasbourg_graded_student_s_certified_score_is_a_note():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    notes = Note.objects.filter(scheme__name=STRASBOURG_SCHEME).select_related("student")
    validated = CertificationResult.objects.filter(
        student__programme__name="L2 SED", status="validated"
    ).first()
    note = notes.get(student=validated.student)
    assert note.published_value is not None
    assert any(
        f"score certifié {validated.score} pix" in explain.sentence(line)
        for line in note.explanation
    )
    without = notes.exclude(student__certification_results__status="validated").exclude(
        student__certification_results__status="rejected"
    )
    assert {n.absence_code for n in without} == {"ABI"}
