import datetime as dt

import factory

from pixoffice.accounts.models import AcademicYear, Programme, Role, StaffAssignment, Student, User

PASSWORD = "motdepasse-de-test"


class AcademicYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcademicYear
        django_get_or_create = ["name"]

    name = "2026-2027"
    start = dt.date(2026, 9, 1)
    end = dt.date(2027, 8, 31)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"L2 Formation {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@univ-exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    role = Role.STUDENT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    role = Role.STAFF

    @factory.post_generation
    def programmes(obj, create, extracted, **kwargs):
        for programme in extracted or []:
            StaffAssignment.objects.create(user=obj, programme=programme)


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_superuser = True


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    student_number = factory.Sequence(lambda n: f"0{21000000 + n}")
    last_name = factory.Sequence(lambda n: f"Étudiant{n}")
    first_name = "Léa"
    email = factory.LazyAttribute(lambda o: f"{o.student_number}@etu.univ-exemple.fr")
    programme = factory.SubFactory(ProgrammeFactory, name="L2 Géographie")
    academic_year = factory.SubFactory(AcademicYearFactory)


class StudentUserFactory(UserFactory):
    """A student account with its roster record (``user.student``)."""

    role = Role.STUDENT

    @factory.post_generation
    def student(obj, create, extracted, **kwargs):
        if create:
            StudentFactory(user=obj, email=obj.email, **kwargs)
