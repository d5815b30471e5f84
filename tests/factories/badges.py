import datetime as dt
import hashlib

import factory
from django.utils import timezone

from pixoffice.badges.models import BadgeRequirement, BadgeSubmission, TrustedBadge
from tests.factories.accounts import AcademicYearFactory, StudentFactory

ISSUER = "https://mooc-ia.example.fr/issuer"
BADGE_CLASS = "https://mooc-ia.example.fr/badges/ia-fondamentaux"


class TrustedBadgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrustedBadge
        django_get_or_create = ["issuer_uri", "badge_class_uri"]

    issuer_uri = ISSUER
    badge_class_uri = BADGE_CLASS
    issuer_name = "MOOC IA pour tous"
    name = "MOOC IA — Fondamentaux"


class BadgeRequirementFactory(factory.django.DjangoModelFactory):
    """Due in a month; trusts the test MOOC's badge unless told otherwise."""

    class Meta:
        model = BadgeRequirement
        skip_postgeneration_save = True

    name = "Module IA — Open Badge"
    academic_year = factory.SubFactory(AcademicYearFactory)
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))

    @factory.post_generation
    def programmes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.programmes.set(extracted)

    @factory.post_generation
    def trusted_badges(obj, create, extracted, **kwargs):
        if create:
            obj.trusted_badges.set(extracted if extracted is not None else [TrustedBadgeFactory()])


class BadgeSubmissionFactory(factory.django.DjangoModelFactory):
    """A stored submission (no reading involved): for pages and queries."""

    class Meta:
        model = BadgeSubmission

    student = factory.SubFactory(StudentFactory)
    requirement = factory.SubFactory(BadgeRequirementFactory)
    file = factory.django.FileField(data=b'{"recipient": {}}', filename="badge.json")
    original_name = "badge.json"
    sha256 = hashlib.sha256(b'{"recipient": {}}').hexdigest()
    format = BadgeSubmission.Format.JSON
    status = BadgeSubmission.Status.REVIEW
    reason = (
        "Le destinataire du badge ne correspond pas aux adresses électroniques de l'étudiant·e."
    )
    issuer_uri = ISSUER
    issuer_name = "MOOC IA pour tous"
    badge_class_uri = BADGE_CLASS
    badge_name = "IA — Fondamentaux"
    spec_version = "2.0"
