"""A student's workshops: register, join the waiting list, cancel."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pixoffice.accounts.permissions import student_required
from pixoffice.events import queries, services
from pixoffice.events.models import Registration

student_only = student_required("events.register")


@student_only
def my_workshops(request):
    student = request.user.student
    mine = {r.workshop_id: r for r in queries.live_registrations_of(student)}
    workshops = list(queries.workshops_open_to(student).select_related("programme"))
    for workshop in workshops:
        workshop.mine = mine.get(workshop.pk)
    return render(request, "events/my_workshops.html", {"workshops": workshops})


@student_only
@require_POST
def register(request, pk):
    student = request.user.student
    workshop = get_object_or_404(queries.workshops_open_to(student), pk=pk)
    try:
        registration = services.register(
            workshop=workshop, student=student, site_url=settings.SITE_URL
        )
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, _("Vous êtes inscrit·e à « %(t)s ».") % {"t": workshop.title})
        else:
            messages.warning(
                request,
                _("« %(t)s » est complet : vous êtes sur la liste d'attente.")
                % {"t": workshop.title},
            )
    return redirect("events:my_workshops")


@student_only
@require_POST
def cancel(request, pk):
    registration = get_object_or_404(queries.live_registrations_of(request.user.student), pk=pk)
    services.cancel_registration(registration=registration, site_url=settings.SITE_URL)
    messages.success(
        request, _("Inscription à « %(t)s » annulée.") % {"t": registration.workshop.title}
    )
    return redirect("events:my_workshops")
