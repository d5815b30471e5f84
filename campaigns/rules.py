"""Who may see and manage campaigns."""

import rules

from pixoffice.accounts.rules import is_admin, is_office_staff, is_staff_or_admin, is_student


@rules.predicate
def follows_a_programme_of(user, campaign):
    if campaign is None or not user.is_authenticated:
        return False
    return campaign.programmes.filter(assignments__user=user).exists()


@rules.predicate
def is_in_a_programme_of(user, campaign):
    if campaign is None or not is_student(user):
        return False
    return campaign.programmes.filter(pk=user.student.programme_id).exists()


can_manage_campaign = is_admin | (is_office_staff & follows_a_programme_of)
can_view_campaign = can_manage_campaign | is_in_a_programme_of

rules.add_perm("campaigns.manage_campaigns", is_staff_or_admin)
rules.add_perm("campaigns.import_results", is_staff_or_admin)

__all__ = ["can_manage_campaign", "can_view_campaign", "is_staff_or_admin"]
