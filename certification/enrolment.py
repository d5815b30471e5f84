"""Enrolment: students enrol in, withdraw from and change sessions; the office places,
moves and removes candidates (verb-named, keyword-only, French ``ValidationError``).

- **Who, where.** A student enrols in a *published* session of their academic year
  that is open to their programme (``programmes`` empty: every programme) while they
  are eligible (``eligibility.py``). The office places any student of the programmes
  it follows, eligible or not (a warning then), in any session not closed.
- **Until when.** Students enrol, withdraw and change until the session's cut-off:
  ``enrolment_closes_at`` when the office set one, else ``DEFAULT_CLOSING_HOURS``
  (48 h) before the start, leaving the office two days to export the list to Pix
  Certif and print the documents. After it only the office places or moves.
- **One at a time.** A student holds one *pending* candidacy per academic year; it
  stops being pending once its session is over (closed, or its room freed) and the
  student was absent or excused, or a result of that session came back (they may
  then enrol again). Enrolling elsewhere is a move (``enrol(moving=True)``).
- **Seats.** ``services.place_candidate`` locks the session row with ``lock_rows``
  and then counts, so simultaneous enrolments never take more seats than there are;
  a full session is a ``ValidationError`` with code ``full``, never a 500. Lock order
  here: the student (``FOR NO KEY UPDATE``: two requests of one student queue, imports'
  ``KEY SHARE`` does not wait) → the sessions (sorted, one statement).
- **Mail.** Each change of a candidacy in a published session queues one short
  message in the outbox, in the same transaction, keyed by the candidacy row (a move
  makes a new row): a retried request finds nothing left to do, so nothing goes twice.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pixoffice.accounts.models import Student
from pixoffice.core.locking import lock_rows
from pixoffice.mail.services import queue_message

from . import services
from .eligibility import eligibility
from .models import Candidate, CertificationResult, CertificationSession

DEFAULT_CLOSING_HOURS = 48
Status = CertificationSession.Status
Attendance = Candidate.Attendance


def closes_at(session: CertificationSession) -> dt.datetime:
    """When students can no longer enrol, withdraw or change (never after the start)."""
    if session.enrolment_closes_at is not None:
        return min(session.enrolment_closes_at, session.starts_at)
    return session.starts_at - dt.timedelta(hours=DEFAULT_CLOSING_HOURS)


def is_open(session: CertificationSession, *, now: dt.datetime | None = None) -> bool:
    return session.status == Status.PUBLISHED and (now or timezone.now()) < closes_at(session)


def _when(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return _("%(day)s à %(time)s") % {"day": f"{local:%d/%m/%Y}", "time": f"{local:%H:%M}"}


# --- what a student may see -----------------------------------------------------------


def open_to_programme(programme_id: int) -> Q:
    """Sessions with no programme listed (open to all), or listing this one."""
    through = CertificationSession.programmes.through
    listed = through.objects.filter(certificationsession_id=OuterRef("pk"))
    return ~Exists(listed) | Exists(listed.filter(programme_id=programme_id))


def sessions_open_to(student: Student, *, now: dt.datetime | None = None):
    """Published sessions of the student's year and programme still taking enrolments,
    with ``placed`` (candidates counted), in one query."""
    now = now or timezone.now()
    default_cut = now + dt.timedelta(hours=DEFAULT_CLOSING_HOURS)
    before_cut = Q(enrolment_closes_at__isnull=True, starts_at__gt=default_cut) | Q(
        enrolment_closes_at__gt=now, starts_at__gt=now
    )
    return (
        CertificationSession.objects.filter(
            before_cut,
            open_to_programme(student.programme_id),
            status=Status.PUBLISHED,
            academic_year_id=student.academic_year_id,
        )
        .select_related("room__site")
        .annotate(placed=Count("candidates"))
        .order_by("starts_at", "room__name")
    )


def pending_candidacies(*, now: dt.datetime | None = None):
    """Candidacies that still hold their student (see the module's « One at a time »)."""
    now = now or timezone.now()
    over = Q(session__status=Status.CLOSED) | Q(session__occupied_until__lte=now)
    result_back = Exists(
        CertificationResult.objects.filter(
            student_id=OuterRef("student_id"), session_id=OuterRef("session_id")
        )
    )
    done = over & (Q(attendance__in=[Attendance.ABSENT, Attendance.EXCUSED]) | result_back)
    return Candidate.objects.exclude(done)


def pending_candidacy_of(student: Student, *, now=None) -> Candidate | None:
    return (
        pending_candidacies(now=now)
        .filter(student=student, session__academic_year_id=student.academic_year_id)
        .select_related("session__room__site")
        .order_by("session__starts_at")
        .first()
    )


# --- mail ---------------------------------------------------------------------------------


def notify(kind: str, *, candidate: Candidate, session, site_url: str, **context):
    """One outbox message about ``candidate`` (``kind``: enrolled, withdrawn, moved)."""
    student = candidate.student
    to = student.email or getattr(student.user, "email", "")
    if not to:
        return None
    message, _created = queue_message(
        key=f"certification:{kind}:candidate:{candidate.pk}",
        to=to,
        template=f"certification_{kind}",
        context={
            "student": student,
            "session": session,
            "room": session.room,
            "site": session.room.site,
            "ends_at": session.end_for(candidate.extra_time_percent),
            "extra_time_percent": candidate.extra_time_percent,
            "closes_at": closes_at(session),
            "link": site_url.rstrip("/") + reverse("certification:mine"),
            **context,
        },
        student=student,
    )
    return message


# --- students -----------------------------------------------------------------------------


def _session(session_id: int) -> CertificationSession:
    session = (
        CertificationSession.objects.select_related("room__site").filter(pk=session_id).first()
    )
    if session is None:
        raise ValidationError(_("Cette session n'existe plus."), code="gone")
    return session


def _check_session_takes(session, student) -> None:
    """What keeps a student out of a session, whoever asks (year, programme)."""
    if session.academic_year_id != student.academic_year_id:
        raise ValidationError(
            _("Cette session est d'une autre année universitaire."), code="other_year"
        )
    restricted = list(session.programmes.order_by("name"))
    if restricted and student.programme_id not in {p.pk for p in restricted}:
        raise ValidationError(
            _("La session du %(when)s est réservée à : %(names)s.")
            % {"when": _when(session.starts_at), "names": ", ".join(p.name for p in restricted)},
            code="other_programme",
        )


def _check_student_may_enrol(session, student, *, now) -> None:
    if session.status != Status.PUBLISHED:
        raise ValidationError(
            _("Cette session n'est pas ouverte aux inscriptions."), code="not_published"
        )
    _check_session_takes(session, student)
    if now >= closes_at(session):
        raise ValidationError(
            _(
                "Les inscriptions à la session du %(when)s sont closes depuis le %(cut)s : "
                "adressez-vous au bureau Pix."
            )
            % {"when": _when(session.starts_at), "cut": _when(closes_at(session))},
            code="closed",
        )


def _full() -> ValidationError:
    return ValidationError(
        _("Session complète : toutes ses places sont prises. Choisissez une autre session."),
        code="full",
    )


def _for_student(error: ValidationError, student) -> ValidationError:
    """``place_candidate``'s refusals, said to the student themselves."""
    code = getattr(error, "code", None)
    if code == "full":
        return _full()
    if code == "no_extended_slot":
        return ValidationError(
            _(
                "Avec votre temps majoré (%(n)d %%), cette session ne peut pas vous accueillir : "
                "la salle n'est pas libre assez longtemps après. Choisissez une autre session."
            )
            % {"n": student.extra_time_percent},
            code="no_extended_slot",
        )
    return error


def enrol(
    *, session_id: int, student: Student, moving: bool = False, now=None, site_url: str = ""
) -> Candidate:
    """Enrol ``student``; with ``moving``, leave their pending session for this one."""
    now = now or timezone.now()
    session = _session(session_id)
    _check_student_may_enrol(session, student, now=now)
    verdict = eligibility(student, today=timezone.localdate(now))
    if not verdict.eligible:
        raise ValidationError(
            _("Vous ne pouvez pas encore vous inscrire : %(why)s")
            % {"why": " ".join(verdict.reasons)},
            code="not_eligible",
        )
    if not moving and session.candidates.count() >= session.seats:
        # already full: said at once, without queueing for the lock (only the last
        # seats are raced for, and place_candidate counts again under the lock)
        raise _full()
    try:
        with transaction.atomic():
            lock_rows(Student, [student.pk], strength="no key update")
            current = pending_candidacy_of(student, now=now)
            if current is not None and current.session_id == session.pk:
                raise ValidationError(
                    _("Vous êtes déjà inscrit·e à cette session."), code="already"
                )
            if current is not None and not moving:
                raise ValidationError(
                    _(
                        "Vous êtes déjà inscrit·e à la session du %(when)s : changez de session "
                        "ou désinscrivez-vous d'abord."
                    )
                    % {"when": _when(current.session.starts_at)},
                    code="elsewhere",
                )
            if current is not None:
                if not is_open(current.session, now=now):
                    raise ValidationError(
                        _(
                            "Votre session du %(when)s ne prend plus de changements : "
                            "adressez-vous au bureau Pix."
                        )
                        % {"when": _when(current.session.starts_at)},
                        code="closed",
                    )
                lock_rows(CertificationSession, [current.session_id, session.pk])
                services.remove_candidate(candidate_id=current.pk)
            candidate = services.place_candidate(session_id=session.pk, student=student)
            kind = "moved" if current is not None else "enrolled"
            previous = current.session if current is not None else None
            notify(kind, candidate=candidate, session=session, site_url=site_url, previous=previous)
    except ValidationError as error:
        raise _for_student(error, student) from error
    return candidate


def withdraw(*, candidate_id: int, student: Student, now=None, site_url: str = "") -> None:
    """The student leaves their session, until its cut-off."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_rows(Student, [student.pk], strength="no key update")
        candidate = (
            Candidate.objects.select_related("session__room__site", "student__user")
            .filter(pk=candidate_id, student=student)
            .first()
        )
        if candidate is None:
            raise ValidationError(_("Vous n'êtes plus inscrit·e à cette session."), code="gone")
        session = candidate.session
        if not is_open(session, now=now):
            raise ValidationError(
                _(
                    "La session du %(when)s ne prend plus de désinscription depuis le %(cut)s : "
                    "adressez-vous au bureau Pix."
                )
                % {"when": _when(session.starts_at), "cut": _when(closes_at(session))},
                code="closed",
            )
        services.remove_candidate(candidate_id=candidate.pk)
        notify("withdrawn", candidate=candidate, session=session, site_url=site_url)


# --- the office -----------------------------------------------------------------------------


def place(*, session_id: int, student: Student, by=None, site_url: str = "", now=None):
    """The office places ``student`` (any time before the session is closed). Returns
    the candidate and warnings (e.g. the student is not eligible: placed anyway)."""
    now = now or timezone.now()
    session = _session(session_id)
    _check_session_takes(session, student)
    verdict = eligibility(student, today=timezone.localdate(now))
    with transaction.atomic():
        lock_rows(Student, [student.pk], strength="no key update")
        current = pending_candidacy_of(student, now=now)
        if current is not None:
            if current.session_id == session.pk:
                raise ValidationError(
                    _("%(name)s est déjà placé·e dans cette session.")
                    % {"name": student.full_name},
                    code="already",
                )
            raise ValidationError(
                _(
                    "%(name)s est déjà placé·e dans la session du %(when)s (%(room)s) : "
                    "déplacez-le·la plutôt."
                )
                % {
                    "name": student.full_name,
                    "when": _when(current.session.starts_at),
                    "room": current.session.room,
                },
                code="elsewhere",
            )
        candidate = services.place_candidate(session_id=session.pk, student=student, by=by)
        if session.status == Status.PUBLISHED:
            notify(
                "enrolled", candidate=candidate, session=session, site_url=site_url, by_office=True
            )
    warnings = []
    if not verdict.eligible:
        warnings.append(
            _("Attention : %(name)s n'est pas éligible (%(why)s).")
            % {"name": student.full_name, "why": " ".join(verdict.reasons)}
        )
    return candidate, warnings


def move(*, candidate_id: int, to_session_id: int, by=None, site_url: str = "", now=None):
    """The office moves a candidate to another session (seats and extra time checked
    there, cut-off ignored); returns the new candidacy."""
    now = now or timezone.now()
    candidate = (
        Candidate.objects.select_related("student", "session__room__site")
        .filter(pk=candidate_id)
        .first()
    )
    if candidate is None:
        raise ValidationError(_("Ce·tte candidat·e n'est plus placé·e."), code="gone")
    student, old = candidate.student, candidate.session
    target = _session(to_session_id)
    if target.pk == old.pk:
        raise ValidationError(
            _("%(name)s est déjà dans cette session.") % {"name": student.full_name},
            code="already",
        )
    _check_session_takes(target, student)
    with transaction.atomic():
        lock_rows(Student, [student.pk], strength="no key update")
        lock_rows(CertificationSession, [old.pk, target.pk])
        if not Candidate.objects.filter(pk=candidate.pk).exists():
            raise ValidationError(_("Ce·tte candidat·e n'est plus placé·e."), code="gone")
        services.remove_candidate(candidate_id=candidate.pk)
        new = services.place_candidate(session_id=target.pk, student=student, by=by)
        if Status.PUBLISHED in (old.status, target.status):
            notify(
                "moved", candidate=new, session=target, site_url=site_url,
                previous=old, by_office=True,
            )  # fmt: skip
    return new


def remove(*, candidate_id: int, by=None, site_url: str = "") -> Candidate:
    """The office takes a candidate off their session (the student is told if it was
    published)."""
    with transaction.atomic():
        candidate = (
            Candidate.objects.select_related("session__room__site", "student__user")
            .filter(pk=candidate_id)
            .first()
        )
        if candidate is None:
            raise ValidationError(_("Ce·tte candidat·e n'est plus placé·e."), code="gone")
        services.remove_candidate(candidate_id=candidate.pk)
        if candidate.session.status == Status.PUBLISHED:
            notify(
                "withdrawn", candidate=candidate, session=candidate.session,
                site_url=site_url, by_office=True,
            )  # fmt: skip
    return candidate
