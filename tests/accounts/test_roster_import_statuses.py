"""Issue 15, points 5 and 6, for roster imports: « Annuler » marks the preview
cancelled, the same list again says « rien de nouveau » with nothing to confirm, and
colleagues of a programme see who imported what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pixoffice.accounts.models import RosterImport
from tests.factories import AcademicYearFactory, StaffFactory

pytestmark = pytest.mark.django_db


def upload(client, data, name="liste.csv"):
    client.post(
        reverse("accounts:roster_import_new"),
        {"file": SimpleUploadedFile(name, data), "academic_year": AcademicYearFactory().pk},
    )
    return RosterImport.objects.latest("pk")


def listed(client) -> str:
    return client.get(reverse("accounts:roster_import_list")).content.decode()


def test_cancel_marks_the_roster_preview_cancelled(staff_client, roster_bytes):
    batch = upload(staff_client, roster_bytes)
    preview = staff_client.get(reverse("accounts:roster_import", args=[batch.pk])).content.decode()
    assert reverse("accounts:roster_import_cancel", args=[batch.pk]) in preview

    staff_client.post(reverse("accounts:roster_import_cancel", args=[batch.pk]))
    staff_client.post(reverse("accounts:roster_import_confirm", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.CANCELLED and batch.applied_at is None
    assert ">Annulé<" in listed(staff_client)


def test_the_same_list_again_says_nothing_new(staff_client, roster_bytes):
    first = upload(staff_client, roster_bytes)
    staff_client.post(reverse("accounts:roster_import_confirm", args=[first.pk]))

    again = upload(staff_client, roster_bytes, name="liste (1).csv")

    assert again.status == RosterImport.Status.UNCHANGED
    page = staff_client.get(reverse("accounts:roster_import", args=[again.pk])).content.decode()
    assert "Rien de nouveau" in page and "Confirmer l'import" not in page
    history = listed(staff_client)
    assert "Rien de nouveau" in history and "Appliqué le" in history


def test_colleagues_see_the_roster_imports_of_their_programmes(
    client, people, programmes, roster_bytes
):
    client.force_login(people["staff"])
    upload(client, roster_bytes)
    colleague = StaffFactory(email="collegue@univ-exemple.fr", programmes=[programmes["L2 SED"]])
    stranger = StaffFactory(email="ailleurs@univ-exemple.fr", programmes=[])

    client.force_login(colleague)
    seen = listed(client)
    client.force_login(stranger)
    unseen = listed(client)

    assert "liste.csv" in seen and people["staff"].get_full_name() in seen
    assert "liste.csv" not in unseen
