"""Who sees the statistics (staff: their programmes; admins: all) and the retention
page (admins)."""

import rules

from pixoffice.accounts.rules import is_admin, is_staff_or_admin

rules.add_perm("privacy.view_statistics", is_staff_or_admin)
rules.add_perm("privacy.view_retention", is_admin)
