"""Issue 12 point 5: a grading component reads an assessment campaign's mastery rate
(through a grid, as pix scores) or its stage (through a grid, or as a threshold that
is required to validate), from the sample assessment export."""

from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from grading import computation as calc
from grading import explain, grids, services
from grading.forms import ComponentForm
from grading.models import Component, Scheme
from pixoffice.accounts.models import Student
from tests.factories import CampaignFactory, StudentUserFactory
from tests.grading.conftest import import_export

pytestmark = pytest.mark.django_db

D = Decimal
# % de maîtrise → note /20
MASTERY_STEPS = calc.steps_from_pairs([(0, 0), (30, 5), (40, 10), (50, 14), (70, 20)])


@pytest.fixture
def assessment(roster, programmes, year, data_dir):
    campaign = CampaignFactory(
        code="ZPJJUD566",
        kind=Campaign.Kind.ASSESSMENT,
        academic_year=year,
        programmes=list(programmes.values()),
    )
    import_export((data_dir / "assessment.csv").read_bytes())
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def mastery_grid(year):
    return grids.create_grid(
        name="Maîtrise", academic_year=year, scale=D(20), steps=MASTERY_STEPS, by=None
    )


@pytest.fixture
def scheme(assessment, mastery_grid, year, programmes):
    scheme = Scheme.objects.create(name="Évaluation L1", academic_year=year)
    scheme.programmes.set(programmes.values())
    Component.objects.create(
        scheme=scheme,
        position=1,
        label="Évaluation",
        campaign=assessment,
        basis=Component.Basis.MASTERY_RATE,
        grid=mastery_grid,
    )
    return scheme


def note_of(scheme, number):
    services.recompute_notes(scheme)
    return scheme.notes.get(student=Student.objects.get(student_number=number))


def sentences(note):
    return explain.sentences(note.explanation)


def test_mastery_through_a_grid_gives_the_note_of_the_sample(scheme):
    # 21366755 shared twice; the later sending (15/12/2025) counts: 0,41 → 41 % → 10/20
    note = note_of(scheme, "21366755")

    assert (note.value, note.result) == (D(10), calc.VALIDATED)
    assert "Évaluation : 41 % de maîtrise → 10/20" in sentences(note)
    (source,) = note.sources.values()
    assert source["campaign"] == scheme.components.get().campaign_id


def test_a_lower_mastery_gives_a_lower_note(scheme):
    note = note_of(scheme, "22240318")  # later sending 0,32

    assert (note.value, note.result) == (D(5), calc.NOT_VALIDATED)


def test_a_participation_not_shared_has_no_mastery(scheme):
    note = note_of(scheme, "22303355")  # started (57 %), never shared

    assert note.value == D(0)
    assert "Évaluation : aucune donnée → 0/20" in sentences(note)


@pytest.fixture
def stage_required(scheme, assessment):
    Component.objects.create(
        scheme=scheme,
        position=2,
        label="Palier 2",
        campaign=assessment,
        basis=Component.Basis.STAGE,
        minimum=D(2),
    )
    return scheme


def test_a_stage_threshold_is_required_to_validate(stage_required):
    note = note_of(stage_required, "21366755")  # stage 1 of 3

    assert (note.value, note.result) == (D(10), calc.NOT_VALIDATED)
    assert sentences(note)[1:] == [
        "Palier 2 : palier 1 sur 3, au moins palier 2 exigé → manquant",
        "Total : 10 = 10/20",
        "Résultat : non validé, car il manque : Palier 2",
    ]


def test_a_stage_threshold_met_validates(stage_required):
    note = note_of(stage_required, "22513657")  # 0,72 and stage 2

    assert (note.value, note.result) == (D(20), calc.VALIDATED)
    assert "Palier 2 : palier 2 sur 3, au moins palier 2 exigé → obtenu" in sentences(note)


def test_the_stage_through_a_grid(scheme, assessment, year):
    stage_grid = grids.create_grid(
        name="Paliers",
        academic_year=year,
        scale=D(20),
        steps=calc.steps_from_pairs([(0, 0), (1, 8), (2, 14), (3, 20)]),
        by=None,
    )
    component = scheme.components.get()
    component.basis, component.grid = Component.Basis.STAGE, stage_grid
    component.save()

    note = note_of(scheme, "22853600")  # stage 3 of 3

    assert note.value == D(20)
    assert "Évaluation : palier 3 sur 3 → 20/20" in sentences(note)


def test_a_threshold_without_data_is_missing():
    rule = calc.SchemeRule(
        components=[calc.ComponentRule(key="c1", label="Palier 2", basis=calc.STAGE, minimum=D(2))]
    )

    outcome = calc.compute(rule, {})

    assert outcome.result == calc.NOT_VALIDATED
    assert explain.sentences(outcome.lines)[0] == (
        "Palier 2 : aucune donnée, palier 2 exigé pour valider → manquant"
    )


def form(campaign, **fields):
    data = {
        "position": "1",
        "label": "Évaluation",
        "kind": "campaign",
        "campaign": str(campaign.pk),
        "weight": "1",
        "missing": "zero",
        "absence_code": "ABI",
        **fields,
    }
    return ComponentForm(data, campaigns=Campaign.objects.all())


def test_the_form_offers_mastery_and_stage_for_an_assessment_only(assessment, mastery_grid):
    profiles = CampaignFactory(academic_year=assessment.academic_year)

    assert form(assessment, basis="mastery_rate", grid=str(mastery_grid.pk)).is_valid()
    assert form(assessment, basis="stage", minimum="2").is_valid()
    wrong = form(assessment, basis="total_pix", grid=str(mastery_grid.pk))
    assert not wrong.is_valid() and "basis" in wrong.errors
    wrong = form(profiles, basis="mastery_rate", grid=str(mastery_grid.pk))
    assert not wrong.is_valid() and "basis" in wrong.errors


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"basis": "stage", "minimum": "4"}, "minimum"),  # the sample has stages 0 to 3
        ({"basis": "mastery_rate", "minimum": "120"}, "minimum"),
        ({"basis": "mastery_rate"}, "grid"),  # neither a grid nor a threshold
    ],
)
def test_the_form_refuses_an_impossible_threshold(assessment, fields, field):
    bad = form(assessment, **fields)

    assert not bad.is_valid() and field in bad.errors


def test_the_form_refuses_both_a_grid_and_a_threshold(assessment, mastery_grid):
    bad = form(assessment, basis="stage", grid=str(mastery_grid.pk), minimum="2")

    assert not bad.is_valid() and "minimum" in bad.errors


def test_staff_see_the_threshold_on_the_scheme_page(staff_client, stage_required):
    page = staff_client.get(reverse("grading:scheme", kwargs={"pk": stage_required.pk}))

    assert page.status_code == 200
    assert "seuil exigé pour valider : 2" in page.content.decode()


def test_the_student_reads_their_mastery_and_stage_in_their_published_note(
    client, stage_required, people, programmes
):
    student = Student.objects.get(student_number="21366755")  # L2 Géographie
    services.recompute_notes(stage_required)
    services.publish_notes(stage_required, programmes["L2 Géographie"], by=people["staff"])
    user = StudentUserFactory.build(email=student.email)
    user.save()
    student.user = user
    student.save()
    client.force_login(user)

    html = client.get(reverse("grading:mine")).content.decode()

    assert "Évaluation : 41 % de maîtrise → 10/20" in html
    assert "Palier 2 : palier 1 sur 3, au moins palier 2 exigé → manquant" in html
