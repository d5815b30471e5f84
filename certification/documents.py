"""Certification documents (WeasyPrint): convocations, attendance sheets, a day's zip.

Each document is a Django template under ``certification/documents/`` rendered by
WeasyPrint. Many convocations are rendered as **one** HTML document with a page break
per candidate (WeasyPrint's start-up and font loading are paid once, not per page):
a session's or a whole day's. The print CSS is small and uses one system font
(DejaVu Sans), so the per-page work stays WeasyPrint's layout of the page itself.

The convocation says when, where, how long (the candidate's own end time, extra time
included) and what to bring. The session's candidate access code is **not** on it: Pix
Certif's code is given in the room at the start of the session, so it is printed only
on the attendance sheet, which stays with the invigilators.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import Candidate, CertificationSession

CONVOCATIONS = "certification/documents/convocations.html"
ATTENDANCE = "certification/documents/attendance.html"
DOCUMENT_STATUSES = [CertificationSession.Status.PUBLISHED, CertificationSession.Status.CLOSED]


def issuer() -> str:
    """Who signs the documents (``ATTESTATION_ISSUER`` setting, if set)."""
    return getattr(settings, "ATTESTATION_ISSUER", "") or _("Bureau Pix de l'université")


def duration_text(minutes: int) -> str:
    """105 → « 1 h 45 », 120 → « 2 h », 140 → « 2 h 20 »."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(m)d min") % {"m": rest}
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def candidates_of(sessions) -> list[Candidate]:
    """The candidates of ``sessions`` (a queryset or ids), ready to print, in one query:
    by session (start, room), then by name."""
    return list(
        Candidate.objects.filter(session__in=sessions)
        .select_related("student__programme", "session__room__site")
        .order_by(
            "session__starts_at",
            "session__room__name",
            "student__last_name",
            "student__first_name",
            "student__student_number",
        )
    )


def _session_facts(session: CertificationSession) -> dict:
    room = session.room
    return {
        "start": timezone.localtime(session.starts_at),
        "slot_end": timezone.localtime(session.ends_at),
        "site": room.site.name,
        "address": room.site.address,
        "building": room.building,
        "room": room.name,
        "slot": duration_text(session.slot_minutes),
        "test": duration_text(session.test_minutes),
        "pix_number": session.pix_session_number,
    }


def convocation_page(candidate: Candidate) -> dict:
    """What one convocation says (also the context of the convocation email)."""
    session = candidate.session
    extra = candidate.extra_time_percent
    end = timezone.localtime(candidate.ends_at)
    own_test = (end - timezone.localtime(session.starts_at)) - dt.timedelta(
        minutes=session.slot_minutes - session.test_minutes
    )
    return {
        "candidate": candidate,
        "student": candidate.student,
        "extra": extra,
        "end": end,
        "own_test": duration_text(int(own_test.total_seconds() // 60)),
        **_session_facts(session),
    }


def convocations_html(candidates: list[Candidate]) -> str:
    """One HTML document, one A4 page per candidate."""
    return render_to_string(
        CONVOCATIONS,
        {"pages": [convocation_page(c) for c in candidates], "issuer": issuer()},
    )


def attendance_html(session: CertificationSession, candidates: list[Candidate], *, hidden=0) -> str:
    """The attendance sheet (« feuille d'émargement ») of ``session``; ``hidden`` counts
    the candidates left out (another programme's, for a staff member who does not
    follow it), so the sheet says it is not complete."""
    return render_to_string(
        ATTENDANCE,
        {
            "session": session,
            "facts": _session_facts(session),
            "rows": [
                {"candidate": c, "student": c.student, "end": timezone.localtime(c.ends_at)}
                for c in candidates
            ],
            "invigilators": [u.get_full_name() or u.email for u in session.invigilators.all()],
            "hidden": hidden,
            "issuer": issuer(),
        },
    )


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy: imported only when a PDF is made

    return HTML(string=html).write_pdf()


def convocations_pdf(candidates: list[Candidate]) -> bytes:
    if not candidates:
        raise ValueError("Aucun·e candidat·e : pas de convocation.")
    return html_to_pdf(convocations_html(candidates))


def attendance_pdf(session: CertificationSession, candidates: list[Candidate], *, hidden=0):
    return html_to_pdf(attendance_html(session, candidates, hidden=hidden))


def _stamp(session: CertificationSession) -> str:
    start = timezone.localtime(session.starts_at)
    return f"{start:%Y-%m-%d-%Hh%M}-{slugify(session.room.name) or session.room_id}"


def convocation_filename(candidate: Candidate) -> str:
    start = timezone.localtime(candidate.session.starts_at)
    return f"convocation-certification-pix-{start:%Y-%m-%d}-{candidate.student.student_number}.pdf"


def session_convocations_filename(session: CertificationSession) -> str:
    return f"convocations-{_stamp(session)}.pdf"


def attendance_filename(session: CertificationSession) -> str:
    return f"emargement-{_stamp(session)}.pdf"


def day_filename(day: dt.date) -> str:
    return f"certification-pix-{day:%Y-%m-%d}.zip"


def sessions_of_day(day: dt.date, *, statuses=DOCUMENT_STATUSES):
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    return (
        CertificationSession.objects.filter(
            starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1), status__in=statuses
        )
        .select_related("room__site")
        .prefetch_related("invigilators")
        .order_by("starts_at", "room__name")
    )


def day_zip(day: dt.date, sessions: list[CertificationSession], candidates: list[Candidate], *,
            hidden: dict[int, int] | None = None) -> bytes:  # fmt: skip
    """Every document of a day: all its convocations in one PDF, then per session its
    convocations and its attendance sheet."""
    hidden = hidden or {}
    by_session: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_session.setdefault(candidate.session_id, []).append(candidate)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if candidates:
            archive.writestr(f"convocations-{day:%Y-%m-%d}.pdf", convocations_pdf(candidates))
        for session in sessions:
            own = by_session.get(session.pk, [])
            if own:
                archive.writestr(
                    f"sessions/{session_convocations_filename(session)}", convocations_pdf(own)
                )
            archive.writestr(
                f"sessions/{attendance_filename(session)}",
                attendance_pdf(session, own, hidden=hidden.get(session.pk, 0)),
            )
    return buffer.getvalue()


def days_with_documents(sessions) -> set[dt.date]:
    """The days of ``sessions`` that have a published or closed session (the week view
    links their documents); no query."""
    return {timezone.localdate(s.starts_at) for s in sessions if s.status in DOCUMENT_STATUSES}
