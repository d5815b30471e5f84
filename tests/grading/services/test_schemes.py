"""``grading.services.schemes``: a scheme as a plain rule (components, grids, weights),
and the cohort it grades."""

from decimal import Decimal as D

import pytest

from grading import computation as calc
from grading import services
from tests.factories import GridFactory, StudentFactory

pytestmark = pytest.mark.django_db


def test_the_scheme_rule_has_each_component_with_its_competences_and_grid(saint_etienne):
    scheme = saint_etienne.scheme
    first, second, badge = services.scheme_components(scheme)

    rule = services.scheme_rule(scheme)

    assert (rule.combine, rule.scale, rule.pass_mark) == (calc.SUM, D(20), D(10))
    assert [(c.key, c.label, c.requirement) for c in rule.components] == [
        (f"c{first.pk}", "Campagne 1", False),
        (f"c{second.pk}", "Campagne 2", False),
        (f"c{badge.pk}", "Module IA", True),
    ]
    assert rule.components[0].competences == ("1.1", "2.1", "3.1", "4.1")
    assert rule.components[1].competences == ("1.2", "2.2", "2.3", "3.2", "4.2")
    assert rule.components[0].grid.label == "Saint-Étienne niveaux 2025-2026 (v1)"
    assert rule.components[2].grid is None


def test_a_replaced_grid_changes_only_the_components_using_it(saint_etienne, year):
    scheme, grid = saint_etienne.scheme, saint_etienne.grid
    proposed = GridFactory.build(pk=grid.pk, name="Proposée", academic_year=year, version=2)

    rule = services.scheme_rule(scheme, grids={grid.pk: proposed})

    assert [c.grid.label if c.grid else None for c in rule.components] == [
        "Proposée 2025-2026 (v2)",
        "Proposée 2025-2026 (v2)",
        None,
    ]


def test_the_cohort_is_the_schemes_programmes_in_its_year(saint_etienne, programmes):
    StudentFactory(programme=programmes["L2 SED"])  # the factories' default year, 2026-2027

    cohort = services.cohort(saint_etienne.scheme)

    assert set(cohort) == set(saint_etienne.students)
