from tests.grading.conftest import (  # noqa: F401  the Saint-Étienne grading world
    campaigns,
    requirement,
    roster,
    scheme,
    se_grid,
    year,
)
