"""factory-boy factories, one module per app."""

from .accounts import (
    AcademicYearFactory,
    AdminFactory,
    ProgrammeFactory,
    StaffFactory,
    StudentFactory,
    StudentUserFactory,
    UserFactory,
)
from .campaigns import CampaignFactory

__all__ = [
    "AcademicYearFactory",
    "AdminFactory",
    "CampaignFactory",
    "ProgrammeFactory",
    "StaffFactory",
    "StudentFactory",
    "StudentUserFactory",
    "UserFactory",
]
