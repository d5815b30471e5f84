"""Who may plan certification sessions: office staff and admins."""

import rules

from pixoffice.accounts.rules import is_staff_or_admin

rules.add_perm("certification.manage_sessions", is_staff_or_admin)
