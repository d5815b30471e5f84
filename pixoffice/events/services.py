"""Events: saving (a move bumps the iCal SEQUENCE), registering, cancelling.

Seats under concurrency: ``register`` locks the workshop row (``FOR UPDATE``) and then
counts, so two students never take the last seat together; the waiting list is in
the order of the requests. A cancellation promotes the first one waiting, in the same
transaction, and each change mails the student through the outbox (one message per
registration and event, by its key).
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pixoffice.core.locking import lock_rows
from pixoffice.mail.services import queue_message

from .models import Registration, Workshop

Status = Registration.Status
MOVING_FIELDS = ("start", "end", "place", "first_start", "first_end", "rrule", "exdates_text")


class RegistrationError(ValueError):
    """A refused registration, with a French message saying why."""


def save_event(event, *, changed: list[str]):
    """Save a form's event; a change of time, place or rule bumps its ``sequence``."""
    if event.pk and set(changed) & set(MOVING_FIELDS):
        event.sequence += 1
    event.save()
    return event


def workshop_link(site_url: str, workshop) -> str:
    return site_url.rstrip("/") + reverse("events:my_workshops") + f"#atelier-{workshop.pk}"


def notify(registration: Registration, *, kind: str, site_url: str, position: int = 0):
    student = registration.student
    to = student.email or getattr(student.user, "email", "")
    if not to:
        return None
    message, _created = queue_message(
        key=f"events:{kind}:registration:{registration.pk}:{registration.status}",
        to=to,
        template=kind,
        context={
            "workshop": registration.workshop,
            "student": student,
            "waiting": registration.status == Status.WAITING,
            "position": position,
            "link": workshop_link(site_url, registration.workshop),
        },
        student=student,
    )
    return message


def register(*, workshop: Workshop, student, site_url: str = "", now=None) -> Registration:
    """Register ``student``: a seat if one is left, else the end of the waiting list."""
    now = now or timezone.now()
    if workshop.registration_opens and now < workshop.registration_opens:
        raise RegistrationError(
            _("Les inscriptions à « %(title)s » ouvrent le %(date)s.")
            % {
                "title": workshop.title,
                "date": timezone.localtime(workshop.registration_opens).strftime("%d/%m/%Y %H:%M"),
            }
        )
    if workshop.start <= now:
        raise RegistrationError(
            _("L'atelier « %(title)s » a déjà commencé.") % {"title": workshop.title}
        )
    with transaction.atomic():
        lock_rows(Workshop, [workshop.pk])
        live = Registration.objects.filter(workshop=workshop).exclude(status=Status.CANCELLED)
        if live.filter(student=student).exists():
            raise RegistrationError(
                _("Vous êtes déjà inscrit·e à « %(title)s » ou sur sa liste d'attente.")
                % {"title": workshop.title}
            )
        taken = live.filter(status=Status.REGISTERED).count()
        status = Status.REGISTERED if taken < workshop.seats else Status.WAITING
        # stamped under the lock: the waiting list's order is the order seats were asked
        registration = Registration.objects.create(
            workshop=workshop, student=student, status=status, created_at=timezone.now()
        )
        position = live.filter(status=Status.WAITING).count() if status == Status.WAITING else 0
        notify(registration, kind="workshop_registered", site_url=site_url, position=position)
    return registration


def cancel_registration(*, registration: Registration, site_url: str = "") -> Registration | None:
    """Cancel; a freed seat goes to the first one waiting, who is mailed. Returns the
    promoted registration, if any."""
    with transaction.atomic():
        lock_rows(Workshop, [registration.workshop_id])
        registration.refresh_from_db()
        if registration.status == Status.CANCELLED:
            return None
        freed = registration.status == Status.REGISTERED
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        if not freed:
            return None
        waiting = (
            Registration.objects.filter(workshop_id=registration.workshop_id, status=Status.WAITING)
            .select_related("student__user", "workshop")
            .order_by("created_at", "pk")
            .first()
        )
        if waiting is None:
            return None
        waiting.status = Status.REGISTERED
        waiting.save(update_fields=["status"])
        notify(waiting, kind="workshop_promoted", site_url=site_url)
    return waiting
