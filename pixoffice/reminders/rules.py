import rules

from pixoffice.accounts.rules import is_staff_or_admin

rules.add_perm("reminders.manage_rules", is_staff_or_admin)
