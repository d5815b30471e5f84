"""The follow-up of a badge requirement as a table (CSV or XLSX): the students without
a valid badge, with their latest submission's status and reason."""

from .models import BadgeSubmission

HEADER = ["Numéro étudiant", "Nom", "Prénom", "Courriel", "Formation", "Groupe"]
HEADER += ["État du badge", "Motif"]


def missing_badge_table(students) -> tuple[list[str], list[list]]:
    """``(header, rows)``; ``students`` come from ``queries.students_missing_badge``."""
    labels = dict(BadgeSubmission.Status.choices)
    rows = [
        [
            s.student_number,
            s.last_name,
            s.first_name,
            s.email,
            s.programme.name,
            s.group,
            str(labels[s.badge_status]) if s.badge_status else "Aucun dépôt",
            s.badge_reason or "",
        ]
        for s in students
    ]
    return HEADER, rows
