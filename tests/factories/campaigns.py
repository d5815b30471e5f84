import datetime as dt
from zoneinfo import ZoneInfo

import factory

from campaigns.models import Campaign, Competence
from tests.factories.accounts import AcademicYearFactory

PARIS = ZoneInfo("Europe/Paris")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Campagne {n}")
    code = factory.Sequence(lambda n: f"CODE{n:05d}")
    kind = Campaign.Kind.PROFILES_COLLECTION
    academic_year = factory.SubFactory(AcademicYearFactory)
    opens_on = dt.date(2025, 9, 1)
    deadline = dt.datetime(2026, 5, 31, 23, 59, tzinfo=PARIS)
    target_level = 5

    @factory.post_generation
    def programmes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.programmes.set(extracted)

    @factory.post_generation
    def competences(obj, create, extracted, **kwargs):
        if create:
            obj.competences.set(
                Competence.objects.filter(code__in=extracted or ["1.1", "2.1", "3.1", "4.1"])
            )
