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
from .campaigns import CampaignFactory, ParticipationFactory, ResultImportFactory, ShareFactory
from .grading import ComponentFactory, GridFactory, NoteFactory, SchemeFactory

__all__ = [
    "AcademicYearFactory",
    "AdminFactory",
    "CampaignFactory",
    "ComponentFactory",
    "GridFactory",
    "NoteFactory",
    "ParticipationFactory",
    "ProgrammeFactory",
    "ResultImportFactory",
    "SchemeFactory",
    "ShareFactory",
    "StaffFactory",
    "StudentFactory",
    "StudentUserFactory",
    "UserFactory",
]
