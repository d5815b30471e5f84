"""The note as a plain function: grids, components, combination (no database)."""

from decimal import Decimal as D

import pytest

from grading import computation as calc
from tests.conftest import DATA

UNISTRA = calc.read_grid_file((DATA / "unistra-2023-2024.csv").read_bytes())


def strasbourg_rule():
    grid = calc.GridRule(1, "Unistra 2023-2024 (v1)", UNISTRA.scale, UNISTRA.steps)
    return calc.SchemeRule(
        components=[
            calc.ComponentRule(
                key="certif",
                label="Certification",
                basis=calc.CERTIFICATION_SCORE,
                grid=grid,
                missing=calc.MISSING_ABSENCE,
                absence_code="ABI",
            )
        ],
        combine=calc.SUM,
        scale=D(20),
        pass_mark=D(10),
    )


def test_strasbourg_file_loads_as_is():
    assert UNISTRA.scale == D(20)
    assert len(UNISTRA.steps) == 41
    assert UNISTRA.steps[1] == calc.Step(D(65), D("0.5"))
    assert calc.validate_steps(UNISTRA.steps, UNISTRA.scale) == []


@pytest.mark.parametrize(
    ("score", "note"),
    [
        (0, "0"),
        (64, "0"),
        (65, "0.5"),
        (409, "9.5"),
        (410, "10"),
        (640, "19"),
        (670, "19"),
        (671, "19.5"),
        (700, "19.5"),
        (701, "20"),
        (896, "20"),
    ],
)
def test_strasbourg_grid(score, note):
    outcome = calc.compute(strasbourg_rule(), {"certif": calc.ComponentInput(score=D(score))})

    assert outcome.value == D(note)
    assert outcome.result == (calc.VALIDATED if D(note) >= 10 else calc.NOT_VALIDATED)


def test_missing_certification_gives_the_absence_code():
    outcome = calc.compute(strasbourg_rule(), {})

    assert (outcome.value, outcome.result, outcome.absence_code) == (None, calc.ABSENT, "ABI")


def saint_etienne_rule():
    steps = [calc.Step(D(i) / 4, D(i) / 2) for i in range(21)]  # 0,25 level → 0,5 point
    grid = calc.GridRule(2, "Saint-Étienne niveaux (v1)", D(10), steps)
    return calc.SchemeRule(
        components=[
            calc.ComponentRule(
                "c1", "Campagne 1", basis=calc.MEAN_LEVEL, competences=("1.1", "2.1"), grid=grid
            ),
            calc.ComponentRule(
                "c2", "Campagne 2", basis=calc.MEAN_LEVEL, competences=("1.2",), grid=grid
            ),
            calc.ComponentRule("badge", "Module IA", requirement=True),
        ],
        combine=calc.SUM,
        scale=D(20),
        pass_mark=D(10),
    )


def test_saint_etienne_sum_of_two_campaigns_with_the_badge():
    outcome = calc.compute(
        saint_etienne_rule(),
        {
            "c1": calc.ComponentInput(score=D("4.25")),
            "c2": calc.ComponentInput(score=D("5")),
            "badge": calc.ComponentInput(met=True),
        },
    )

    assert outcome.value == D("18.5")
    assert outcome.result == calc.VALIDATED
    component = outcome.lines[0]
    assert (component["score"], component["note"], component["scale"]) == ("4.25", "8.5", "10")


def test_without_the_badge_the_course_is_not_validated_whatever_the_points():
    outcome = calc.compute(
        saint_etienne_rule(),
        {"c1": calc.ComponentInput(score=D(7)), "c2": calc.ComponentInput(score=D(7))},
    )

    assert outcome.value == D(20)
    assert outcome.result == calc.NOT_VALIDATED
    assert outcome.lines[-1]["unmet"] == ["Module IA"]


def test_missing_campaign_counts_zero_when_the_rule_says_so():
    outcome = calc.compute(
        saint_etienne_rule(),
        {"c1": calc.ComponentInput(score=D(5)), "badge": calc.ComponentInput(met=True)},
    )

    assert outcome.value == D(10)
    assert outcome.lines[1] == {
        "kind": "missing",
        "label": "Campagne 2",
        "rule": "zero",
        "note": "0",
        "scale": "10",
    }


def test_weighted_mean_cap_and_rounding():
    grid = calc.GridRule(None, "g", D(20), [calc.Step(D(0), D(0)), calc.Step(D(10), D("13.3"))])
    rule = calc.SchemeRule(
        components=[
            calc.ComponentRule("a", "A", grid=grid, weight=D(2)),
            calc.ComponentRule("b", "B", grid=grid, weight=D(1)),
        ],
        combine=calc.WEIGHTED_MEAN,
        scale=D(20),
        cap=D(8),
        rounding="half_up",
    )
    outcome = calc.compute(
        rule, {"a": calc.ComponentInput(score=D(10)), "b": calc.ComponentInput(score=D(0))}
    )
    # (2 × 13,3 + 1 × 0) / 3 = 8,8667, capped at 8
    combine = next(line for line in outcome.lines if line["kind"] == "combine")
    assert combine["raw"] == "8.8667"
    assert combine["capped_at"] == "8"
    assert outcome.value == D(8)

    rule = calc.SchemeRule(rule.components, calc.WEIGHTED_MEAN, D(20), None, "half_up")
    outcome = calc.compute(
        rule, {"a": calc.ComponentInput(score=D(10)), "b": calc.ComponentInput(score=D(0))}
    )
    assert outcome.value == D(9)  # 8,8667 → next half point


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [
        ("none", "12.26"),
        ("hundredth", "12.26"),
        ("half_nearest", "12.5"),
        ("half_down", "12"),
        ("half_up", "12.5"),
        ("unit_nearest", "12"),
    ],
)
def test_rounding(rounding, expected):
    assert calc.round_note(D("12.26"), rounding) == D(expected)


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([("5", "0"), ("10", "1")], "Le premier palier doit commencer à 0 (il commence à 5)."),
        (
            [("0", "0"), ("10", "1"), ("10", "2")],
            "Palier 3 : le seuil 10 doit être strictement supérieur au précédent (10).",
        ),
        (
            [("0", "0"), ("10", "2"), ("20", "1,5")],
            "Palier 3 : la note 1,5 est inférieure à celle du palier précédent (2).",
        ),
        ([("0", "0"), ("10", "21")], "Palier 2 : la note 21 sort du barème (0 à 20)."),
        ([], "La grille n'a aucun palier."),
    ],
)
def test_grid_validation_messages(pairs, message):
    assert message in calc.validate_steps(calc.steps_from_pairs(pairs), D(20))


def test_grid_file_errors_name_their_line():
    data = "score_min_pix;note_sur_20\n0;0\n65;zéro\nabc;1\n".encode()

    with pytest.raises(calc.GridError) as error:
        calc.read_grid_file(data)

    assert error.value.messages == [
        "Ligne 3 : note « zéro » illisible.",
        "Ligne 4 : score minimal « abc » illisible.",
    ]


def test_grid_round_trips_through_csv():
    text = calc.grid_to_csv_text(UNISTRA.steps, UNISTRA.scale)

    assert text.splitlines()[:3] == ["score_min_pix;note_sur_20", "0;0", "65;0,5"]
    assert calc.read_grid_file(text.encode()) == UNISTRA


@pytest.mark.parametrize(
    ("basis", "expected"),
    [(calc.TOTAL_PIX, "136"), (calc.PIX_ON_COMPETENCES, "30"), (calc.MEAN_LEVEL, "2.5")],
)
def test_campaign_scores(basis, expected):
    results = {"1.1": [3, 24], "2.1": [2, 6], "3.1": [4, 32]}

    assert calc.campaign_score(basis, ("1.1", "2.1"), 136, results) == D(expected)


def test_mean_level_counts_a_missing_competence_as_zero():
    assert calc.campaign_score(calc.MEAN_LEVEL, ("1.1", "9.9"), 0, {"1.1": [3, 24]}) == D("1.5")
