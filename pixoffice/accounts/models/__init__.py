"""People (``people``: users, students, programmes, academic years, who follows what)
and the files they upload (``batches``)."""

from .batches import BatchFailure, RosterImport, UploadedBatch
from .people import (
    AcademicYear,
    Programme,
    Role,
    Semester,
    StaffAssignment,
    Student,
    User,
    UserManager,
)

__all__ = [
    "AcademicYear",
    "BatchFailure",
    "Programme",
    "Role",
    "RosterImport",
    "Semester",
    "StaffAssignment",
    "Student",
    "UploadedBatch",
    "User",
    "UserManager",
]
