import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification.models import CertificationResult, ResultsImport
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(data_dir):
    def make(name="certification-results.csv"):
        return SimpleUploadedFile(name, (data_dir / name).read_bytes(), "text/csv")

    return make


def test_upload_previews_then_confirm_writes_once(staff_client, upload):
    StudentFactory(student_number="21466465")

    response = staff_client.post(reverse("certification:results_import_new"), {"file": upload()})

    batch = ResultsImport.objects.get()
    assert response.status_code == 302
    assert not CertificationResult.objects.exists()
    preview = staff_client.get(response.url).content.decode()
    assert "Lignes non reconnues" in preview
    assert "E458432" in preview
    confirm = reverse("certification:results_import_confirm", kwargs={"pk": batch.pk})
    staff_client.post(confirm)
    staff_client.post(confirm)  # a double click
    assert CertificationResult.objects.count() == 40
    assert CertificationResult.objects.filter(student__isnull=False).count() == 1
    batch.refresh_from_db()
    assert batch.status == "applied" and batch.summary["created"] == 40


def test_a_refused_file_is_explained_and_nothing_kept(staff_client, upload):
    response = staff_client.post(
        reverse("certification:results_import_new"), {"file": upload("roster-students.csv")}
    )

    assert response.status_code == 200
    assert "n&#x27;est pas un export de résultats de certification Pix" in (
        response.content.decode()
    )
    assert not ResultsImport.objects.exists()


def test_staff_match_only_students_of_their_programmes(client, people, upload):
    StudentFactory(student_number="21466465", programme=people["student_a"].student.programme)
    client.force_login(people["staff_other"])  # L2 Histoire only

    client.post(reverse("certification:results_import_new"), {"file": upload()})
    batch = ResultsImport.objects.get()
    client.post(reverse("certification:results_import_confirm", kwargs={"pk": batch.pk}))

    assert not CertificationResult.objects.filter(student__isnull=False).exists()


def test_confirming_a_refused_file_says_so_and_writes_nothing(staff_client, people):
    batch = ResultsImport.keep(b"x", name="resultats.csv", by=people["staff"])

    response = staff_client.post(
        reverse("certification:results_import_confirm", kwargs={"pk": batch.pk})
    )

    batch.refresh_from_db()
    assert response.status_code == 302
    assert batch.status == "previewed"
    assert not CertificationResult.objects.exists()
