"""Events a person may see: staff those of their programmes, students their own."""

from django.db.models import Count, Q

from pixoffice.accounts.queries import programmes_visible_to

from .models import OfficeHours, Registration, SupportSession, Workshop


def sessions_visible_to(user):
    return SupportSession.objects.filter(programme__in=programmes_visible_to(user)).select_related(
        "programme", "room__site"
    )


def workshops_visible_to(user):
    return (
        Workshop.objects.filter(programme__in=programmes_visible_to(user))
        .select_related("programme", "room__site")
        .annotate(
            registered=Count("registrations", filter=Q(registrations__status="registered")),
            waiting=Count("registrations", filter=Q(registrations__status="waiting")),
        )
    )


def office_hours_visible_to(user):
    return OfficeHours.objects.filter(
        Q(programme__isnull=True) | Q(programme__in=programmes_visible_to(user))
    ).select_related("programme", "room__site")


def sessions_of_student(student):
    return SupportSession.objects.filter(programme_id=student.programme_id).select_related(
        "room__site"
    )


def workshops_open_to(student):
    return (
        Workshop.objects.filter(programme_id=student.programme_id)
        .select_related("room__site")
        .annotate(registered=Count("registrations", filter=Q(registrations__status="registered")))
    )


def office_hours_of_student(student):
    return OfficeHours.objects.filter(
        Q(programme__isnull=True) | Q(programme_id=student.programme_id)
    ).select_related("room__site")


def live_registrations_of(student):
    return (
        Registration.objects.filter(student=student)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("workshop__room__site")
    )
