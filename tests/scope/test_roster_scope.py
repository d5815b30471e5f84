"""Point 3 of issue 10: the roster preview never names a student the uploader cannot
see."""

import pytest

from pixoffice.accounts import services
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

HEADER = "Numéro étudiant;Nom;Prénom;Courriel;Formation;Groupe\n"


def roster(*lines: str) -> bytes:
    return (HEADER + "".join(line + "\n" for line in lines)).encode("utf-8")


@pytest.fixture
def geo_student(programmes):
    return StudentFactory(
        programme=programmes["L2 Géographie"],
        student_number="03879433",
        email="amelie.dupont@etu.univ-exemple.fr",
    )


def warnings(plan) -> list[str]:
    return [w.message for w in plan.warnings]


def test_address_of_a_student_outside_the_scope_is_said_used_not_by_whom(people, geo_student):
    data = roster("21000009;Martin;Léa;amelie.dupont@etu.univ-exemple.fr;L2 Histoire;TD1")

    plan = services.plan_roster_import(data, by=people["staff_other"])  # Histoire only

    assert warnings(plan) == [
        "l'adresse amelie.dupont@etu.univ-exemple.fr est déjà celle d'un·e autre étudiant·e en base."
    ]
    assert "03879433" not in " ".join(warnings(plan) + [str(e) for e in plan.errors])


def test_address_of_a_student_inside_the_scope_names_them(people, geo_student):
    data = roster("21000009;Martin;Léa;amelie.dupont@etu.univ-exemple.fr;L2 Histoire;TD1")

    plan = services.plan_roster_import(data, by=people["staff"])  # every programme

    assert warnings(plan) == [
        "l'adresse amelie.dupont@etu.univ-exemple.fr est aussi celle de l'étudiant·e "
        "03879433 déjà en base."
    ]


def test_a_number_of_another_programme_does_not_say_which(people, geo_student):
    data = roster("03879433;Dupont;Amélie;amelie.dupont@etu.univ-exemple.fr;L2 Histoire;TD1")

    plan = services.plan_roster_import(data, by=people["staff_other"])

    assert [e.message for e in plan.errors] == [
        "le numéro 03879433 est celui d'un·e étudiant·e d'une formation que vous ne suivez pas."
    ]
    assert "Géographie" not in plan.errors[0].message
