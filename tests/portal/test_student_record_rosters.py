"""Issue 15: the staff record of a student lists the roster imports that wrote the
student's row — the one that created it and the last one that changed it — recorded
by the import's own COPY and UPDATE (no extra statement, whatever the file's size)."""

import pytest
from django.urls import reverse

from pixoffice.accounts import services
from pixoffice.accounts.models import Student
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

NUMBER = "03201590"  # Héloïse Le Goff, L2 SED, TD3 in the sample roster


def _import(data: bytes, by, name: str):
    plan = services.plan_roster_import(data, by=by)
    batch = services.store_roster_file(
        data, name=name, by=by, mapping=plan.mapping, academic_year=None
    )
    return services.apply_roster_import(batch.pk)


@pytest.fixture
def imports(roster_bytes, people):
    first = _import(roster_bytes, people["staff"], "scolarite-septembre.csv")
    # Héloïse Le Goff moves from TD3 to TD5; every other row stays as it was
    changed = roster_bytes.replace(b"L2 SED;TD3;01/10/2004", b"L2 SED;TD5;01/10/2004", 1)
    assert changed != roster_bytes
    second = _import(changed, people["staff"], "scolarite-octobre.csv")
    return first, second


def test_each_student_row_keeps_the_imports_that_created_and_last_changed_it(imports):
    first, second = imports

    moved = Student.objects.get(student_number=NUMBER)
    same = Student.objects.exclude(student_number=NUMBER).get(student_number="03879433")

    assert first.status == second.status == "applied"
    assert (moved.created_by_import, moved.last_changed_by_import) == (first, second)
    assert (same.created_by_import, same.last_changed_by_import) == (first, first)
    assert Student.objects.filter(created_by_import=first).count() == 96


def test_the_record_lists_them_newest_first_with_what_each_did(client, people, imports):
    first, second = imports
    client.force_login(people["staff"])
    moved = Student.objects.get(student_number=NUMBER)
    same = Student.objects.get(student_number="03879433")

    moved_page = client.get(reverse("portal:student_record", args=[moved.pk]))
    same_page = client.get(reverse("portal:student_record", args=[same.pk]))

    assert [(b.pk, what) for b, what in moved_page.context["record"].roster_imports] == [
        (second.pk, "changed"),
        (first.pk, "created"),
    ]
    assert [(b.pk, what) for b, what in same_page.context["record"].roster_imports] == [
        (first.pk, "created")
    ]
    html = moved_page.content.decode()
    section = html[html.index('id="listes"') : html.index('id="imports"')]
    assert "scolarite-octobre.csv" in section and "a modifié sa fiche en dernier" in section
    assert "scolarite-septembre.csv" in section and "a créé sa fiche" in section
    assert reverse("accounts:roster_import", args=[second.pk]) in section  # their own


def test_a_colleague_sees_the_imports_without_the_batch_page(client, programmes, imports):
    first, _second = imports
    colleague = StaffFactory(programmes=[programmes["L2 SED"]])
    client.force_login(colleague)
    student = Student.objects.get(student_number=NUMBER)

    html = client.get(reverse("portal:student_record", args=[student.pk])).content.decode()

    section = html[html.index('id="listes"') : html.index('id="imports"')]
    assert "scolarite-septembre.csv" in section
    assert reverse("accounts:roster_import", args=[first.pk]) not in section


def test_a_student_typed_in_by_hand_has_no_roster_import(client, people):
    client.force_login(people["staff"])
    student = people["student_a"].student

    page = client.get(reverse("portal:student_record", args=[student.pk]))

    assert page.context["record"].roster_imports == []
    assert "Aucun import de liste n'a écrit sa fiche" in page.content.decode()
