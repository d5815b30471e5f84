"""Issue 12, point 3: a roster re-saved by Excel loses its leading zeros; the preview
says so per row, and staff may restore the padding for the whole file."""

import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from pixoffice.accounts import roster_zeros, services
from pixoffice.accounts.models import RosterImport, Student
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db
ZEROS = 11  # numbers of the sample roster that start with 0


def stripped(roster_bytes: bytes) -> bytes:
    """The sample roster as French Excel saves it: cp1252, zeros gone, ``;``."""
    text = roster_bytes.decode("utf-8-sig")
    text = re.sub(r"^0+(\d)", r"\1", text, flags=re.MULTILINE)
    return text.encode("cp1252")


def apply(data: bytes, **options):
    plan = services.plan_roster_import(data, by=None, **options)
    batch = services.store_roster_file(
        data, name="liste.csv", by=None, mapping=plan.mapping, academic_year=None, **options
    )
    return services.apply_roster_import(batch.pk)


def zero_warnings(plan) -> list[str]:
    return [str(w) for w in plan.warnings if "zéro" in w.message]


def test_suspects_by_the_database_the_file_and_the_usual_length():
    numbers = ["2218411", "03201590", "3201590", "21000001", "21000002", "2100003", "21000004"]
    lines = list(range(2, 9))
    suspects = roster_zeros.find_suspects(numbers, lines, {"02218411": True})

    assert [(s.number, s.padded, s.known) for s in suspects] == [
        ("2218411", "02218411", "base"),
        ("3201590", "03201590", "file"),
        ("2100003", "02100003", "length"),
    ]
    assert str(roster_zeros.warning(suspects[0], 2, visible=True, restored=False)) == (
        "Ligne 2 : numéro 2218411 : Excel a peut-être supprimé le zéro en tête (02218411 existe)"
    )


def test_a_stripped_roster_warns_once_per_stripped_number(programmes, roster_bytes):
    apply(roster_bytes)

    plan = services.plan_roster_import(stripped(roster_bytes), by=None)

    warnings = zero_warnings(plan)
    assert len(warnings) == ZEROS == plan.zero_suspects
    assert all(w.startswith("Ligne ") and "Excel a peut-être supprimé" in w for w in warnings)
    assert "Ligne 2 : numéro 3201590 : Excel a peut-être supprimé le zéro en tête " in (warnings[0])
    assert "(03201590 existe)" in warnings[0]
    assert len(plan.created) == ZEROS  # without the restoration: new students


def test_restoring_the_padding_gives_96_unchanged(programmes, roster_bytes):
    apply(roster_bytes)
    before = list(Student.objects.order_by("pk").values())

    plan = services.plan_roster_import(stripped(roster_bytes), by=None, restore_zeros=True)
    batch = apply(stripped(roster_bytes), restore_zeros=True)

    assert plan.zeros_restored
    assert (len(plan.created), len(plan.updated), len(plan.unchanged)) == (0, 0, 96)
    assert batch.summary["unchanged"] == 96
    assert list(Student.objects.order_by("pk").values()) == before


def test_the_usual_length_alone_is_enough_on_a_first_import(programmes):
    data = "Numéro étudiant;Nom;Prénom;Formation\n".encode() + b"".join(
        f"{n};N{n};P;L2 SED\n".encode() for n in ["21000001", "21000002", "21000003", "2100004"]
    )

    plan = services.plan_roster_import(data, by=None)
    restored = services.plan_roster_import(data, by=None, restore_zeros=True)

    assert zero_warnings(plan) == [
        "Ligne 5 : numéro 2100004 : Excel a peut-être supprimé le zéro en tête "
        "(les autres numéros ont 8 chiffres)"
    ]
    assert [r.student_number for r in restored.created][-1] == "02100004"


def test_two_rows_differing_by_a_zero_are_never_merged(programmes):
    data = "Numéro étudiant;Nom;Prénom;Formation\n01234567;A;B;L2 SED\n1234567;C;D;L2 SED\n"

    plan = services.plan_roster_import(data.encode(), by=None, restore_zeros=True)

    assert not plan.errors
    assert sorted(r.student_number for r in plan.created) == ["01234567", "1234567"]
    assert "laissé tel quel" in zero_warnings(plan)[0]


def test_a_known_number_outside_the_scope_is_not_named(people, programmes):
    StudentFactory(student_number="02218411", programme=programmes["L2 Géographie"])
    data = "Numéro étudiant;Nom;Prénom;Formation\n2218411;A;B;L2 Histoire\n".encode()

    plan = services.plan_roster_import(data, by=people["staff_other"])  # Histoire only

    assert zero_warnings(plan) == [
        "Ligne 2 : numéro 2218411 : Excel a peut-être supprimé le zéro en tête "
        "(ce numéro avec un zéro en tête existe)"
    ]


def test_the_command_warns_in_json_and_restores(programmes, roster_bytes, tmp_path, capsys):
    apply(roster_bytes)
    path = tmp_path / "liste-excel.csv"
    path.write_bytes(stripped(roster_bytes))

    call_command("import_roster", str(path), "--json", "--dry-run")
    summary = json.loads(capsys.readouterr().out)
    call_command("import_roster", str(path), "--json", "--restore-zeros")
    restored = json.loads(capsys.readouterr().out)

    zeros = [w for w in summary["warnings"] if "zéro" in w["message"]]
    assert len(zeros) == ZEROS and all(w["row"] >= 2 for w in zeros)
    assert summary["created"] == ZEROS
    assert (restored["created"], restored["unchanged"]) == (0, 96)


@pytest.fixture
def stripped_batch(people, programmes, roster_bytes):
    apply(roster_bytes)
    data = stripped(roster_bytes)
    plan = services.plan_roster_import(data, by=people["staff"])
    return services.store_roster_file(
        data, name="excel.csv", by=people["staff"], mapping=plan.mapping, academic_year=None
    )


def test_staff_restore_the_padding_from_the_preview(client, people, stripped_batch):
    client.force_login(people["staff"])
    url = reverse("accounts:roster_import", kwargs={"pk": stripped_batch.pk})

    page = client.get(url).content.decode()
    assert "Rétablir les zéros en tête dans tout le fichier" in page
    assert "Excel a peut-être supprimé le zéro en tête" in page

    assert client.post(url, {"zeros": "1"}).status_code == 302
    stripped_batch.refresh_from_db()
    assert stripped_batch.restore_zeros
    page = client.get(url).content.decode()
    assert "Zéros en tête rétablis (11 numéros)" in page

    client.post(reverse("accounts:roster_import_confirm", kwargs={"pk": stripped_batch.pk}))
    stripped_batch.refresh_from_db()
    assert stripped_batch.status == RosterImport.Status.APPLIED
    assert stripped_batch.summary["unchanged"] == 96


@pytest.mark.parametrize(("role", "status"), [("staff_other", 404), ("student_a", 403)])
def test_others_cannot_restore_the_padding(client, people, stripped_batch, role, status):
    client.force_login(people[role])
    url = reverse("accounts:roster_import", kwargs={"pk": stripped_batch.pk})

    assert client.post(url, {"zeros": "1"}).status_code == status
    stripped_batch.refresh_from_db()
    assert not stripped_batch.restore_zeros
