from decimal import Decimal

import factory
from django.utils import timezone

from grading import computation as calc
from grading.models import Component, Grid, Note, Scheme
from tests.factories.accounts import AcademicYearFactory, StudentFactory
from tests.factories.campaigns import CampaignFactory


def level_steps() -> list[list[str]]:
    """Saint-Étienne's grid on mean levels (``grading.demo``): each quarter of a level
    gives half a point, level 5 gives 10/10."""
    return calc.steps_to_pairs([calc.Step(Decimal(i) / 4, Decimal(i) / 2) for i in range(21)])


class GridFactory(factory.django.DjangoModelFactory):
    """Version 1 of a grid on mean levels, /10 (``steps`` as stored: text pairs)."""

    class Meta:
        model = Grid

    name = factory.Sequence(lambda n: f"Grille {n}")
    academic_year = factory.SubFactory(AcademicYearFactory)
    version = 1
    scale = Decimal(10)
    steps = factory.LazyFunction(level_steps)


class SchemeFactory(factory.django.DjangoModelFactory):
    """A scheme summing its components to /20, validated from 10; its components are
    made with ``ComponentFactory(scheme=…)``, or given as ``components=[{…}, …]``."""

    class Meta:
        model = Scheme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Modalité {n}")
    academic_year = factory.SubFactory(AcademicYearFactory)
    combine = Scheme.Combine.SUM
    scale = Decimal(20)
    pass_mark = Decimal(10)
    rounding = Scheme.Rounding.NONE

    @factory.post_generation
    def programmes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.programmes.set(extracted)

    @factory.post_generation
    def components(obj, create, extracted, **kwargs):
        if create:
            for position, fields in enumerate(extracted or [], start=1):
                ComponentFactory(scheme=obj, **{"position": position, **fields})


class ComponentFactory(factory.django.DjangoModelFactory):
    """A campaign component: the mean level on the campaign's competences, through a grid.
    Traits: ``badge`` (a required Open Badge, no points), ``certification``."""

    class Meta:
        model = Component

    scheme = factory.SubFactory(SchemeFactory)
    position = 1
    label = factory.Sequence(lambda n: f"Composante {n}")
    kind = Component.Kind.CAMPAIGN
    campaign = factory.SubFactory(
        CampaignFactory, academic_year=factory.SelfAttribute("..scheme.academic_year")
    )
    basis = Component.Basis.MEAN_LEVEL
    grid = factory.SubFactory(
        GridFactory, academic_year=factory.SelfAttribute("..scheme.academic_year")
    )
    missing = Component.Missing.ZERO

    class Params:
        badge = factory.Trait(
            kind=Component.Kind.BADGE,
            basis="",
            campaign=None,
            grid=None,
            badge_requirement=factory.SubFactory(
                "tests.factories.badges.BadgeRequirementFactory",
                academic_year=factory.SelfAttribute("..scheme.academic_year"),
            ),
        )
        certification = factory.Trait(
            kind=Component.Kind.CERTIFICATION,
            basis=Component.Basis.CERTIFICATION_SCORE,
            campaign=None,
            missing=Component.Missing.ABSENCE,
        )


class NoteFactory(factory.django.DjangoModelFactory):
    """A computed note, not published (trait ``published``: published as it is)."""

    class Meta:
        model = Note

    scheme = factory.SubFactory(SchemeFactory)
    student = factory.SubFactory(
        StudentFactory, academic_year=factory.SelfAttribute("..scheme.academic_year")
    )
    value = Decimal("12.5")
    result = factory.LazyAttribute(
        lambda o: (
            Note.Result.VALIDATED
            if o.value is not None and o.value >= o.scheme.pass_mark
            else Note.Result.NOT_VALIDATED
        )
    )
    absence_code = ""
    explanation = factory.LazyFunction(list)
    sources = factory.LazyFunction(dict)
    computed_at = factory.LazyFunction(timezone.now)

    class Params:
        published = factory.Trait(
            published_value=factory.SelfAttribute("value"),
            published_result=factory.SelfAttribute("result"),
            published_absence_code=factory.SelfAttribute("absence_code"),
            published_explanation=factory.SelfAttribute("explanation"),
            published_sources=factory.SelfAttribute("sources"),
            published_at=factory.SelfAttribute("computed_at"),
        )
