"""Who may manage sites and rooms: office staff and admins (rooms serve every programme)."""

import rules

from pixoffice.accounts.rules import is_staff_or_admin

rules.add_perm("rooms.manage_rooms", is_staff_or_admin)
