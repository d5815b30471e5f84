"""Issue 12, point 8: a roster naming programmes that do not exist; an admin sees them
in the preview and creates them there, staff see the refusal with the names."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from pixoffice.accounts import services
from pixoffice.accounts.models import Programme

pytestmark = pytest.mark.django_db
DATA = (
    "Numéro étudiant;Nom;Prénom;Formation\n"
    "21000001;A;B;L2 SED\n21000002;C;D;L3 Chimie\n21000003;E;F;M1 Physique\n21000004;G;H;l3 chimie\n"
).encode()


def stored(by):
    plan = services.plan_roster_import(DATA, by=by)
    return services.store_roster_file(
        DATA, name="l.csv", by=by, mapping=plan.mapping, academic_year=None
    )


def url(batch):
    return reverse("accounts:roster_import", kwargs={"pk": batch.pk})


def test_the_plan_names_the_unknown_programmes_once(programmes):
    plan = services.plan_roster_import(DATA, by=None)

    assert plan.unknown_programmes == ["L3 Chimie", "M1 Physique"]
    assert len(plan.errors) == 3


def test_an_admin_creates_them_from_the_preview_and_the_plan_is_recomputed(
    client, people, programmes
):
    batch = stored(people["admin"])
    client.force_login(people["admin"])
    page = client.get(url(batch)).content.decode()
    assert "2 formations inconnues" in page
    assert "Créer les formations cochées" in page

    response = client.post(
        url(batch), {"action": "programmes", "programme": ["L3 Chimie", "M1 Physique"]}, follow=True
    )

    assert Programme.objects.filter(name__in=["L3 Chimie", "M1 Physique"]).count() == 2
    text = response.content.decode()
    assert "2 formations créées : L3 Chimie, M1 Physique." in text
    assert "Confirmer l'import" in text  # no error left
    plan = services.plan_roster_import(DATA, by=people["admin"])
    assert (plan.errors, len(plan.created)) == ([], 4)


def test_staff_see_the_names_and_cannot_create_them(client, people, programmes):
    batch = stored(people["staff"])
    client.force_login(people["staff"])

    page = client.get(url(batch)).content.decode()
    response = client.post(url(batch), {"action": "programmes", "programme": ["M1 Physique"]})

    assert "seul un administrateur peut les créer" in page and "M1 Physique" in page
    assert "Créer les formations cochées" not in page
    assert response.status_code == 403
    assert not Programme.objects.filter(name="M1 Physique").exists()


@pytest.mark.parametrize(("role", "status"), [("staff_other", 404), ("student_a", 403)])
def test_others_cannot_create_them(client, people, programmes, role, status):
    batch = stored(people["admin"])
    client.force_login(people[role])

    response = client.post(url(batch), {"action": "programmes", "programme": ["M1 Physique"]})

    assert response.status_code == status
    assert not Programme.objects.filter(name="M1 Physique").exists()


def test_only_names_of_the_file_are_created(client, people, programmes):
    batch = stored(people["admin"])
    client.force_login(people["admin"])

    client.post(url(batch), {"action": "programmes", "programme": ["Formation inventée"]})

    assert not Programme.objects.filter(name="Formation inventée").exists()


def test_the_service_refuses_staff(people):
    with pytest.raises(PermissionDenied):
        services.create_programmes(names=["X"], by=people["staff"])
    assert not Programme.objects.filter(name="X").exists()
