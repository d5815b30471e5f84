import pytest

from pixoffice.accounts import services as accounts_services
from tests.factories import CampaignFactory


@pytest.fixture
def roster(programmes, roster_bytes):
    """The 96 students of the sample roster."""
    plan = accounts_services.plan_roster_import(roster_bytes, by=None)
    batch = accounts_services.store_roster_file(
        roster_bytes, name="roster.csv", by=None, mapping=plan.mapping, academic_year=None
    )
    accounts_services.apply_roster_import(batch.pk)


@pytest.fixture
def campaign(programmes):
    """The profiles-collection campaign of the sample exports (code URRTVG494)."""
    return CampaignFactory(
        code="URRTVG494", name="Pix L1 2025-2026 — collecte", programmes=list(programmes.values())
    )


@pytest.fixture
def sample(data_dir):
    def read(name):
        return (data_dir / name).read_bytes()

    return read
