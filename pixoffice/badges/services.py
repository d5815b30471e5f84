"""Business actions on badges: a student uploads one (read and checked offline), staff
accept or reject it. Each status set is announced after commit
(``signals.badge_status_changed``): grading recomputes that student's note."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pixoffice.accounts.models import Student, User
from pixoffice.core.locking import lock_rows
from pixoffice.tabular import FileRefused

from . import openbadges
from .models import BadgeRequirement, BadgeSubmission
from .queries import student_emails, trusted_entries
from .signals import badge_status_changed

Status = BadgeSubmission.Status


class BadgeRefused(Exception):
    """The action is refused and nothing changed; ``str(error)`` is a French message."""


def _announce(submission: BadgeSubmission) -> None:
    student_id, requirement_id = submission.student_id, submission.requirement_id
    transaction.on_commit(
        lambda: badge_status_changed.send(
            sender=BadgeSubmission, student_id=student_id, requirement_id=requirement_id
        )
    )


def current_submission(student: Student, requirement: BadgeRequirement) -> BadgeSubmission | None:
    return BadgeSubmission.objects.filter(
        student=student, requirement=requirement, is_current=True
    ).first()


def upload_refusal(requirement: BadgeRequirement, current: BadgeSubmission | None, *, now=None):
    """Why a new upload is not possible now (a French sentence), or ``None``.

    Open until the deadline, and then only while there is nothing held yet: a verified
    or accepted badge stays (a rejected one or one under review may be replaced)."""
    now = now or timezone.now()
    if current is not None and current.holds:
        return _("Votre badge est déjà validé : aucun nouveau dépôt n'est nécessaire.")
    if now > requirement.deadline:
        return _(
            "La date limite de dépôt (%(deadline)s) est passée : le dépôt est fermé. "
            "Contactez l'équipe pédagogique de votre formation."
        ) % {"deadline": date_format(timezone.localtime(requirement.deadline), "d/m/Y H:i")}
    return None


def submit_badge(
    data: bytes,
    *,
    name: str,
    student: Student,
    requirement: BadgeRequirement,
    by: User | None,
    now=None,
) -> BadgeSubmission:
    """Read and check an uploaded badge, then keep it as the student's current
    submission: ``verified`` when every offline check passes, else ``review`` with the
    reasons. Raises ``BadgeRefused`` (nothing written) for a file that cannot be read,
    after the deadline, or when the badge is already validated."""
    now = now or timezone.now()
    refusal = upload_refusal(requirement, current_submission(student, requirement), now=now)
    if refusal:
        raise BadgeRefused(refusal)
    try:
        verification = openbadges.verify_badge(
            data,
            emails=student_emails(student),
            trusted=trusted_entries(requirement),
            now=now,
            max_bytes=settings.BADGE_UPLOAD_MAX_BYTES,
        )
    except FileRefused as error:
        raise BadgeRefused(str(error)) from error
    reading = verification.reading
    digest = hashlib.sha256(data).hexdigest()
    submission = BadgeSubmission(
        student=student,
        requirement=requirement,
        original_name=name[:255],
        sha256=digest,
        format=reading.format,
        status=Status.VERIFIED if verification.verified else Status.REVIEW,
        reason=verification.reason,
        findings=verification.reasons,
        assertion=reading.assertion,
        spec_version=reading.version,
        verification_method=reading.verification[:16],
        assertion_uri=reading.assertion_id[:500],
        issuer_uri=reading.issuer_id[:500],
        issuer_name=reading.issuer_name[:200],
        badge_class_uri=reading.badge_id[:500],
        badge_name=reading.badge_name[:200],
        issued_on=reading.issued_on,
        expires_on=reading.expires_on,
        uploaded_at=now,
        uploaded_by=by,
    )
    committed = []  # set first thing after commit: a failing receiver keeps the file
    try:
        with transaction.atomic():
            # one upload at a time per student: the previous current one is replaced once
            lock_rows(Student, [student.pk], timeout_ms=60_000)
            previous = current_submission(student, requirement)
            refusal = upload_refusal(requirement, previous, now=now)
            if refusal:
                raise BadgeRefused(refusal)
            if previous is not None:
                previous.is_current = False
                previous.save(update_fields=["is_current"])
            submission.file.save(f"{digest[:20]}.{reading.format}", ContentFile(data), save=False)
            submission.save()
            transaction.on_commit(lambda: committed.append(True))
            _announce(submission)
    except BaseException:  # the row is not there (a refusal, a failed save or commit)
        if submission.file.name and not committed:
            submission.file.delete(save=False)
        raise
    return submission


def _review(submission: BadgeSubmission, status: str, *, by: User, reason: str) -> bool:
    with transaction.atomic():
        lock_rows(BadgeSubmission, [submission.pk], timeout_ms=60_000)
        locked = BadgeSubmission.objects.get(pk=submission.pk)
        if not locked.is_current:
            raise BadgeRefused(
                _("Ce dépôt a été remplacé par un dépôt plus récent : examinez le dernier.")
            )
        if locked.status == status and locked.reason == reason:
            return False  # a second click changes nothing
        status_changed = locked.status != status
        locked.status, locked.reason = status, reason
        locked.reviewed_by, locked.reviewed_at = by, timezone.now()
        locked.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])
        if status_changed:
            _announce(locked)
    for name in ("status", "reason", "reviewed_by", "reviewed_at"):
        setattr(submission, name, getattr(locked, name))
    return status_changed


def accept_submission(submission: BadgeSubmission, *, by: User, note: str = "") -> bool:
    """Staff accept the current submission (its badge now counts). Returns whether the
    status changed; accepting twice is harmless."""
    return _review(submission, Status.ACCEPTED, by=by, reason=note.strip())


def reject_submission(submission: BadgeSubmission, *, by: User, reason: str) -> bool:
    """Staff reject the current submission with a reason the student sees; the student
    may then upload again. Returns whether the status changed."""
    reason = reason.strip()
    if not reason:
        raise BadgeRefused(_("Indiquez la raison du refus : l'étudiant·e la verra."))
    return _review(submission, Status.REJECTED, by=by, reason=reason)
