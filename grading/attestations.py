"""PDF attestations of published notes: one student's, or a whole programme's.

The page is a Django template (``grading/attestation.html``) rendered by WeasyPrint, one
A4 page per note. A programme is rendered as **one** document (WeasyPrint's start-up
cost is paid once). Only published notes are printed: what a student reads on paper is
what they read on their page, never a note staff are still reviewing.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from pixoffice.accounts.models import Programme

from . import explain
from .models import Note, Scheme

TEMPLATE = "grading/attestation.html"


class NotPublished(ValueError):
    """An attestation was asked for a note that is not published."""


def issuer() -> str:
    """Who issues the attestation (``ATTESTATION_ISSUER`` setting, if set)."""
    return getattr(settings, "ATTESTATION_ISSUER", "") or _("Bureau Pix de l'université")


def _page(note: Note) -> dict:
    if not note.is_published:
        raise NotPublished(f"La note {note.pk} n'est pas publiée : pas d'attestation.")
    lines = note.published_explanation or []
    absent = bool(note.published_absence_code) or note.published_value is None
    return {
        "note": note,
        "student": note.student,
        "scheme": note.scheme,
        "absent": absent,
        "note_text": "" if absent else explain.note_text(note.published_value, note.scheme.scale),
        "result": note.get_published_result_display(),
        "sentences": explain.sentences(lines),
        "grids": explain.grids_used(lines),
        "published_on": timezone.localtime(note.published_at).date(),
    }


def render_html(notes: list[Note]) -> str:
    """The HTML of the attestations, one page per note, in the active language."""
    return render_to_string(
        TEMPLATE,
        {
            "pages": [_page(note) for note in notes],
            "issuer": issuer(),
            "issued_on": timezone.localdate(),
        },
    )


def render_pdf(notes: list[Note]) -> bytes:
    """The attestations of ``notes`` as one PDF (one A4 page each)."""
    if not notes:
        raise ValueError("Aucune note à imprimer.")
    html = render_html(notes)
    from weasyprint import HTML  # heavy: imported only when a PDF is made

    return HTML(string=html).write_pdf()


def programme_notes(scheme: Scheme, programme: Programme) -> list[Note]:
    """The scheme's published notes of the programme, sorted by name (one query)."""
    return list(
        Note.objects.filter(scheme=scheme, student__programme=programme, published_at__isnull=False)
        .select_related(
            "student", "student__programme", "scheme", "scheme__academic_year", "scheme__semester"
        )
        .order_by("student__last_name", "student__first_name", "student__student_number")
    )


def note_attestation(note: Note) -> bytes:
    return render_pdf([note])


def attestation_filename(note: Note) -> str:
    return f"attestation-{note.student.student_number}-{note.scheme.academic_year}.pdf"
