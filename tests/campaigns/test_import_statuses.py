"""Issue 15, points 5 and 6: an import's history says what happened (refused with the
reason, cancelled, applied, failed, nothing new), to every staff member of the
programmes concerned, with who imported; an identical file offers nothing to confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import ResultImport
from pixoffice.accounts.models import BatchFailure, StaffAssignment
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def upload(client, data: bytes, name="Resultats.csv"):
    response = client.post(
        reverse("campaigns:import_new"), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ResultImport.objects.latest("pk")


def history(client) -> str:
    return client.get(reverse("campaigns:import_new")).content.decode()


def test_a_refused_file_is_refused_with_its_reason_and_offers_nothing(
    staff_client, roster, campaign, sample
):
    data = sample("profiles-collection-sup.csv").replace(b'"15/01/2026 02:04"', b'"32/13/2026"')

    batch = upload(staff_client, data)

    assert batch.status == ResultImport.Status.REFUSED
    page = staff_client.get(reverse("campaigns:import", args=[batch.pk])).content.decode()
    assert "Confirmer l'import" not in page and ">Refusé<" in page and "Ligne " in page
    listed = history(staff_client)
    assert "Refusé : ligne" in listed and "Aperçu, en attente" not in listed


def test_cancel_marks_the_preview_cancelled(staff_client, roster, campaign, sample):
    batch = upload(staff_client, sample("profiles-collection-sup.csv"))
    assert batch.status == ResultImport.Status.PREVIEWED
    assert "import_cancel" not in history(staff_client)  # (the button is on the preview)
    preview = staff_client.get(reverse("campaigns:import", args=[batch.pk])).content.decode()
    assert reverse("campaigns:import_cancel", args=[batch.pk]) in preview

    staff_client.post(reverse("campaigns:import_cancel", args=[batch.pk]))
    staff_client.post(reverse("campaigns:import_confirm", args=[batch.pk]))  # too late

    batch.refresh_from_db()
    assert batch.status == ResultImport.Status.CANCELLED
    assert not campaign.participations.exists()
    assert ">Annulé<" in history(staff_client)


def test_the_same_file_again_says_nothing_new_and_offers_nothing_to_confirm(
    staff_client, roster, campaign, sample
):
    data = sample("profiles-collection-sup.csv")
    first = upload(staff_client, data)
    staff_client.post(reverse("campaigns:import_confirm", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == ResultImport.Status.APPLIED

    again = upload(staff_client, data, name="Resultats (1).csv")

    assert again.status == ResultImport.Status.UNCHANGED
    page = staff_client.get(reverse("campaigns:import", args=[again.pk])).content.decode()
    assert "Rien de nouveau" in page and "Confirmer l'import" not in page
    listed = history(staff_client)
    assert "Rien de nouveau" in listed and "Importé le" in listed
    staff_client.post(reverse("campaigns:import_confirm", args=[again.pk]))
    again.refresh_from_db()
    assert again.status == ResultImport.Status.UNCHANGED  # nothing to claim


def test_a_failed_import_says_why(staff_client, roster, campaign, sample):
    batch = upload(staff_client, sample("profiles-collection-sup.csv"))
    ResultImport.objects.filter(pk=batch.pk).update(
        status=ResultImport.Status.FAILED, failure_reason=BatchFailure.QUEUE
    )

    assert "Échec : la file de tâches est indisponible" in history(staff_client)


def test_colleagues_of_the_programme_see_who_imported(
    client, people, programmes, roster, campaign, sample
):
    staff_client = client
    staff_client.force_login(people["staff"])
    upload(staff_client, sample("profiles-collection-sup.csv"))
    colleague = StaffFactory(email="collegue@univ-exemple.fr", programmes=[programmes["L2 SED"]])
    stranger = StaffFactory(email="ailleurs@univ-exemple.fr", programmes=[])
    StaffAssignment.objects.create(
        user=stranger, programme=type(programmes["L2 SED"]).objects.create(name="M1 MEEF")
    )

    client.force_login(colleague)
    seen = history(client)
    client.force_login(stranger)
    unseen = history(client)

    name = people["staff"].get_full_name()
    assert "Resultats.csv" in seen and name in seen
    assert "Resultats.csv" not in unseen
    # the colleague reads the history; the preview and its buttons stay the uploader's
    batch = ResultImport.objects.get()
    client.force_login(colleague)
    assert client.get(reverse("campaigns:import", args=[batch.pk])).status_code == 404
    assert client.post(reverse("campaigns:import_cancel", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ResultImport.Status.PREVIEWED
