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

__all__ = [
    "AcademicYearFactory",
    "AdminFactory",
    "ProgrammeFactory",
    "StaffFactory",
    "StudentFactory",
    "StudentUserFactory",
    "UserFactory",
]
