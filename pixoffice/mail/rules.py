"""Who may read the outbox: staff (the messages of their programmes' students) and admins."""

import rules

from pixoffice.accounts.rules import is_staff_or_admin

rules.add_perm("mail.view_outbox", is_staff_or_admin)
rules.add_perm("mail.manage_batches", is_staff_or_admin)
