"""``university_login.account_of_known_person``: the one rule of every university login
(OpenID Connect, SAML) — only people the office knows get in."""

import pytest

from pixoffice.accounts.models import Role, User
from pixoffice.accounts.university_login import (
    account_of_known_person as university_login_account,
)
from tests.factories import StaffFactory, StudentFactory, StudentUserFactory

pytestmark = pytest.mark.django_db


def test_roster_student_by_number_gets_an_account_made_from_the_roster(programmes):
    student = StudentFactory(student_number="03201590", email="heloise@etu.univ-exemple.fr")

    user = university_login_account(email="alias@univ-exemple.fr", student_number="03201590")

    student.refresh_from_db()
    assert user == student.user
    assert (user.email, user.role, user.first_name) == (
        "heloise@etu.univ-exemple.fr",
        Role.STUDENT,
        student.first_name,
    )
    assert not user.has_usable_password()


def test_the_number_wins_over_the_email(programmes):
    by_number = StudentFactory(student_number="1", email="un@etu.univ-exemple.fr")
    StudentFactory(student_number="2", email="deux@etu.univ-exemple.fr")

    user = university_login_account(email="deux@etu.univ-exemple.fr", student_number="1")

    by_number.refresh_from_db()
    assert user == by_number.user


def test_unknown_number_falls_back_to_the_roster_email(programmes):
    student = StudentFactory(student_number="1", email="Un@etu.univ-exemple.fr")

    user = university_login_account(email="un@ETU.univ-exemple.fr", student_number="999")

    student.refresh_from_db()
    assert user == student.user


def test_student_who_already_has_an_account_gets_it(programmes):
    user = StudentUserFactory(email="a@etu.univ-exemple.fr", student__student_number="7")

    assert university_login_account(email="", student_number="7") == user
    assert university_login_account(email="A@etu.univ-exemple.fr") == user
    assert User.objects.count() == 1


def test_staff_by_email(programmes):
    staff = StaffFactory(email="equipe@univ-exemple.fr")

    assert university_login_account(email="Equipe@Univ-Exemple.fr", student_number="") == staff


def test_nobody_else(programmes):
    StudentFactory(student_number="1", email="un@etu.univ-exemple.fr")
    StudentFactory(student_number="2", email="partage@etu.univ-exemple.fr")
    StudentFactory(student_number="3", email="partage@etu.univ-exemple.fr")

    assert university_login_account(email="", student_number="") is None
    assert university_login_account(email="intrus@univ-exemple.fr", student_number="9") is None
    # an email two roster students share identifies neither
    assert university_login_account(email="partage@etu.univ-exemple.fr") is None
    assert not User.objects.exists()
