"""Who may configure grading, see notes, override and publish them."""

import rules

from pixoffice.accounts.rules import is_admin, is_office_staff, is_staff_or_admin, is_student


@rules.predicate
def follows_a_programme_of_scheme(user, scheme):
    if scheme is None or not user.is_authenticated:
        return False
    return scheme.programmes.filter(assignments__user=user).exists()


@rules.predicate
def follows_every_programme_using_grid(user, grid):
    """The grid's schemes concern only programmes ``user`` follows (or no programme)."""
    if grid is None or not user.is_authenticated:
        return False
    used = set(
        grid.components.exclude(scheme__programmes=None).values_list(
            "scheme__programmes", flat=True
        )
    )
    return used <= set(user.assignments.values_list("programme_id", flat=True))


can_manage_scheme = is_admin | (is_office_staff & follows_a_programme_of_scheme)
# grids are shared by every programme: one used by a scheme of a programme the staff
# member does not follow is read-only to them (they may still copy it)
can_edit_grid = is_admin | (is_office_staff & follows_every_programme_using_grid)

rules.add_perm("grading.manage_grading", is_staff_or_admin)
rules.add_perm("grading.view_own_notes", is_student)

__all__ = ["can_edit_grid", "can_manage_scheme", "is_staff_or_admin", "is_student"]
