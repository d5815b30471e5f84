import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import factory

from campaigns.models import Campaign, Competence, Participation, ResultImport, Share
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


class ResultImportFactory(factory.django.DjangoModelFactory):
    """An applied Pix Orga export, as stored (no file is read: for the shares' source)."""

    class Meta:
        model = ResultImport

    campaign = factory.SubFactory(CampaignFactory)
    original_name = "export.csv"
    sha256 = hashlib.sha256(b"").hexdigest()
    file = factory.django.FileField(data=b"", filename="export.csv")
    status = ResultImport.Status.APPLIED
    applied_at = factory.LazyFunction(lambda: dt.datetime(2026, 3, 16, 9, 0, tzinfo=PARIS))


class ParticipationFactory(factory.django.DjangoModelFactory):
    """A participant of a campaign, matched to a roster student (``student=None``: the
    unmatched queue); identified by the student's number, as Pix Orga gives it."""

    class Meta:
        model = Participation

    campaign = factory.SubFactory(CampaignFactory)
    student = factory.SubFactory("tests.factories.accounts.StudentFactory")
    identifier = factory.LazyAttributeSequence(
        lambda o, n: o.student.student_number if o.student else f"E{100000 + n}"
    )
    last_name = factory.LazyAttribute(lambda o: o.student.last_name if o.student else "Inconnu")
    first_name = factory.LazyAttribute(lambda o: o.student.first_name if o.student else "Camille")
    group = ""


class ShareFactory(factory.django.DjangoModelFactory):
    """A sending of a profiles-collection campaign, the one that counts, from an import
    of that campaign. ``results`` is ``{"1.1": [level, pix], …}``; the total is their sum."""

    class Meta:
        model = Share

    participation = factory.SubFactory(ParticipationFactory)
    shared_at = dt.datetime(2026, 3, 15, 10, 7, tzinfo=PARIS)
    results = factory.LazyFunction(dict)
    total_pix = factory.LazyAttribute(lambda o: sum(pix for _level, pix in o.results.values()))
    certifiable = False
    certifiable_count = 0
    import_batch = factory.SubFactory(
        ResultImportFactory, campaign=factory.SelfAttribute("..participation.campaign")
    )
    is_late = factory.LazyAttribute(lambda o: o.shared_at > o.participation.campaign.deadline)
    counts = True
