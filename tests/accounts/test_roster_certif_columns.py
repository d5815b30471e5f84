"""Issue 13, point 4: the roster's optional columns for what Pix Certif requires (sex,
birth place codes, birth country, extra time), with the headers offices use."""

import pytest
from django.urls import reverse

from pixoffice.accounts import roster_columns, roster_files, services
from pixoffice.accounts.models import Student
from pixoffice.tabular import read_table

pytestmark = pytest.mark.django_db
HEADER = (
    "Numéro étudiant;Nom;Prénom;Formation;Sexe;Code INSEE de naissance;"
    "Code postal de naissance;Lieu de naissance;Pays de naissance;Temps majoré\n"
)


def roster(*lines: str) -> bytes:
    return (HEADER + "".join(f"{line}\n" for line in lines)).encode()


def apply(data: bytes):
    plan = services.plan_roster_import(data, by=None)
    batch = services.store_roster_file(
        data, name="l.csv", by=None, mapping=plan.mapping, academic_year=None
    )
    return plan, services.apply_roster_import(batch.pk)


def test_the_headers_offices_use_are_recognised():
    table = read_table(roster("21000001;A;B;L2 SED;F;42218;42000;Saint-Étienne;France;33%"))

    mapping = roster_files.guess_mapping(table.header)

    assert {"sex", "birth_insee_code", "birth_postal_code", "birth_country"} <= set(mapping)
    assert mapping["extra_time_percent"] == 9
    assert roster_files.guess_mapping(["COD_SEX_ETU", "Code INSEE", "Pays naissance"]) == {
        "sex": 0,
        "birth_insee_code": 1,
        "birth_country": 2,
    }


def test_the_columns_are_stored_and_compared(programmes):
    data = roster(
        "21000001;Martin;Léa;L2 SED;F;42218;42000;Saint-Étienne;France;33%",
        "21000002;Diallo;Moussa;L2 SED;Homme;99;;Dakar;Sénégal;",
        "21000003;Corse;Anna;L2 SED;2;2a004;;Ajaccio;France;",
    )

    _plan, batch = apply(data)

    assert batch.status == "applied", batch.summary["errors"]
    lea = Student.objects.get(student_number="21000001")
    assert (lea.sex, lea.birth_insee_code, lea.birth_postal_code, lea.birth_country) == (
        "F",
        "42218",
        "42000",
        "France",
    )
    assert lea.extra_time_percent == 33
    moussa = Student.objects.get(student_number="21000002")
    assert (moussa.sex, moussa.birth_insee_code, moussa.birth_country) == ("M", "99", "Sénégal")
    assert Student.objects.get(student_number="21000003").birth_insee_code == "2A004"
    again = services.plan_roster_import(data, by=None)
    assert len(again.unchanged) == 3
    changed = services.plan_roster_import(data.replace(b"Homme;99", b"F;99"), by=None)
    assert [c.changes for c in changed.updated] == [{"Sexe": ("M", "F")}]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "21000001;A;B;L2 SED;X;;;;;",
            "Ligne 2 : sexe « X » invalide (attendu M ou F).",
        ),
        (
            "21000001;A;B;L2 SED;M;4221;;;;",
            "Ligne 2 : code INSEE « 4221 » invalide (5 caractères, ou 99 pour une naissance à "
            "l'étranger).",
        ),
        (
            "21000001;A;B;L2 SED;M;;4200;;;",
            "Ligne 2 : code postal « 4200 » invalide (5 chiffres).",
        ),
        (
            "21000001;A;B;L2 SED;M;99;;Lyon;France;",
            "Ligne 2 : le code INSEE 99 désigne une naissance à l'étranger mais le pays est "
            "« France ».",
        ),
    ],
)
def test_a_bad_value_is_refused_naming_its_row(programmes, line, message):
    plan, batch = apply(roster(line))

    assert [str(e) for e in plan.errors] == [message]
    assert batch.status == "refused"
    assert not Student.objects.exists()


def test_the_column_reader_and_the_row_reader_agree_on_these_columns():
    table = read_table(
        roster(
            "21000001;Martin;Léa;L2 SED;f;42218;42000;Saint-Étienne;France;Tiers temps",
            "21000002;Diallo;Moussa;L2 SED;Mr;99;;Dakar;Sénégal;",
            "21000003;Corse;Anna;L2 SED;Mme;2B033;;Bastia;;",
        )
    )
    mapping = roster_files.guess_mapping(table.header)

    fast = roster_columns.validate_columns(table, mapping)
    rows, errors, warnings = roster_files.validate_rows(table, mapping)

    assert (list(fast[0]), fast[1], fast[2]) == (rows, errors, warnings)
    assert [r.sex for r in rows] == ["F", "M", "F"]


def test_an_export_imports_back_unchanged(staff_client, programmes):
    apply(roster("21000001;Martin;Léa;L2 SED;F;42218;42000;Saint-Étienne;France;33%"))
    exported = staff_client.get(reverse("accounts:roster_export", kwargs={"fmt": "csv"})).content

    plan = services.plan_roster_import(exported, by=None)

    assert "sex" in plan.mapping and "birth_country" in plan.mapping
    assert (len(plan.unchanged), plan.errors) == (Student.objects.count(), [])
    assert not plan.updated
