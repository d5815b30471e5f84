"""Who may upload, see and review badges.

A student sees their own submissions; staff see and review those of the students of
the programmes they follow; admins everything.
"""

import rules

from pixoffice.accounts.rules import (
    follows_a_programme_of,
    follows_programme_of,
    is_admin,
    is_in_a_programme_of,
    is_office_staff,
    is_own_student,
    is_staff_or_admin,
    is_student,
)


@rules.predicate
def follows_programme_of_submission(user, submission):
    return submission is not None and follows_programme_of(user, submission.student)


@rules.predicate
def owns_submission(user, submission):
    return submission is not None and is_own_student(user, submission.student)


can_review_submission = is_admin | (is_office_staff & follows_programme_of_submission)
can_view_submission = owns_submission | can_review_submission
can_manage_requirement = is_admin | (is_office_staff & follows_a_programme_of)
can_view_requirement = can_manage_requirement | is_in_a_programme_of

rules.add_perm("badges.upload_badge", is_student)
rules.add_perm("badges.view_submissions", is_student | is_staff_or_admin)
rules.add_perm("badges.review_badges", is_staff_or_admin)

__all__ = [
    "can_manage_requirement",
    "can_review_submission",
    "can_view_requirement",
    "can_view_submission",
    "is_admin",
    "is_staff_or_admin",
    "is_student",
]
