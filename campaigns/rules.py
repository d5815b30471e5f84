"""Who may see and manage campaigns."""

import rules

from pixoffice.accounts.rules import (
    follows_a_programme_of,
    is_admin,
    is_in_a_programme_of,
    is_office_staff,
    is_staff_or_admin,
)

can_manage_campaign = is_admin | (is_office_staff & follows_a_programme_of)
can_view_campaign = can_manage_campaign | is_in_a_programme_of

rules.add_perm("campaigns.manage_campaigns", is_staff_or_admin)
rules.add_perm("campaigns.import_results", is_staff_or_admin)

__all__ = ["can_manage_campaign", "can_view_campaign", "is_staff_or_admin"]
