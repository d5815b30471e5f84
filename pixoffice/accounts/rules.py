"""Who may do what, as django-rules predicates (the one place roles are decided).

Roles: a **student** reaches only their own record; **staff** reach the students of
the programmes they follow; an **admin** reaches everything.
"""

import rules


@rules.predicate
def is_admin(user):
    return bool(user.is_authenticated and (user.is_superuser or user.role == "admin"))


@rules.predicate
def is_office_staff(user):
    return bool(user.is_authenticated and user.role == "staff")


@rules.predicate
def is_student(user):
    return bool(user.is_authenticated and user.role == "student" and hasattr(user, "student"))


@rules.predicate
def is_own_student(user, student):
    return student is not None and user.is_authenticated and student.user_id == user.pk


@rules.predicate
def follows_a_programme_of(user, obj):
    """``obj`` (a campaign, a scheme, a required badge: anything with ``programmes``)
    concerns a programme ``user`` follows. The one scope predicate of shared objects."""
    if obj is None or not user.is_authenticated:
        return False
    return obj.programmes.filter(assignments__user=user).exists()


@rules.predicate
def is_in_a_programme_of(user, obj):
    """``user`` is a student of one of ``obj``'s programmes."""
    if obj is None or not is_student(user):
        return False
    return obj.programmes.filter(pk=user.student.programme_id).exists()


@rules.predicate
def follows_programme_of(user, student):
    if student is None or not user.is_authenticated:
        return False
    return user.assignments.filter(programme_id=student.programme_id).exists()


is_staff_or_admin = is_office_staff | is_admin
can_view_student = is_own_student | is_admin | (is_office_staff & follows_programme_of)

rules.add_perm("accounts.view_student_list", is_staff_or_admin)
rules.add_perm("accounts.import_roster", is_staff_or_admin)
rules.add_perm("accounts.export_roster", is_staff_or_admin)
rules.add_perm("accounts.view_staff_home", is_staff_or_admin)
