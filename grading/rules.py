"""Who may configure grading, see notes, override and publish them."""

import rules

from pixoffice.accounts.rules import is_admin, is_office_staff, is_staff_or_admin, is_student


@rules.predicate
def follows_a_programme_of_scheme(user, scheme):
    if scheme is None or not user.is_authenticated:
        return False
    return scheme.programmes.filter(assignments__user=user).exists()


can_manage_scheme = is_admin | (is_office_staff & follows_a_programme_of_scheme)

rules.add_perm("grading.manage_grading", is_staff_or_admin)
rules.add_perm("grading.view_own_notes", is_student)

__all__ = ["can_manage_scheme", "is_staff_or_admin", "is_student"]
