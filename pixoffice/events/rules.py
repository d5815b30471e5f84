"""Who may manage events: staff for the programmes they follow (office hours without a
programme: any staff), admins everything; students register for their programme's."""

import rules

from pixoffice.accounts.rules import is_admin, is_office_staff, is_staff_or_admin, is_student


@rules.predicate
def follows_event_programme(user, event):
    if event is None:
        return False
    if event.programme_id is None:
        return True
    return user.assignments.filter(programme_id=event.programme_id).exists()


rules.add_perm("events.manage_events", is_staff_or_admin)
rules.add_perm("events.edit_event", is_admin | (is_office_staff & follows_event_programme))
rules.add_perm("events.register", is_student)
