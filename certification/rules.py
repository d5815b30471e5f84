"""Who may plan certification sessions (office staff and admins) and who enrols in
them (students, on « Ma certification »)."""

import rules

from pixoffice.accounts.rules import is_staff_or_admin, is_student

rules.add_perm("certification.manage_sessions", is_staff_or_admin)
rules.add_perm("certification.enrol", is_student)
