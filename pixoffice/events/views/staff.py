"""Staff pages: every event of their programmes, create and edit them, a workshop's list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pixoffice.accounts.queries import programmes_visible_to
from pixoffice.core.permissions import permission_required
from pixoffice.events import queries, services
from pixoffice.events.forms import OfficeHoursForm, SupportSessionForm, WorkshopForm

KINDS = {
    "seance": (
        SupportSessionForm,
        queries.sessions_visible_to,
        gettext_lazy("séance d'accompagnement"),
    ),
    "atelier": (WorkshopForm, queries.workshops_visible_to, gettext_lazy("atelier")),
    "permanence": (OfficeHoursForm, queries.office_hours_visible_to, gettext_lazy("permanence")),
}


@permission_required("events.manage_events")
def event_list(request):
    user = request.user
    return render(
        request,
        "events/staff_list.html",
        {
            "sessions": queries.sessions_visible_to(user),
            "workshops": queries.workshops_visible_to(user),
            "office_hours": queries.office_hours_visible_to(user),
        },
    )


def kind_or_404(kind):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


@permission_required("events.manage_events")
def event_create(request, kind):
    return edit(request, kind, None)


@permission_required("events.manage_events")
def event_edit(request, kind, pk):
    _form, visible, _label = kind_or_404(kind)
    event = get_object_or_404(visible(request.user), pk=pk)
    if not request.user.has_perm("events.edit_event", event):
        raise PermissionDenied
    return edit(request, kind, event)


def edit(request, kind, event):
    form_class, _visible, label = kind_or_404(kind)
    form = form_class(
        request.POST or None, instance=event, programmes=programmes_visible_to(request.user)
    )
    if request.method == "POST" and form.is_valid():
        saved = services.save_event(form.save(commit=False), changed=form.changed_data)
        messages.success(request, _("« %(title)s » est enregistré.") % {"title": saved.title})
        return redirect("events:list")
    return render(request, "events/event_form.html", {"form": form, "event": event, "label": label})


@permission_required("events.manage_events")
def workshop_detail(request, pk):
    workshop = get_object_or_404(queries.workshops_visible_to(request.user), pk=pk)
    registrations = workshop.registrations.select_related("student").order_by("created_at", "pk")
    return render(
        request,
        "events/workshop_detail.html",
        {"workshop": workshop, "registrations": list(registrations)},
    )
