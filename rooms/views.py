"""Staff pages: the rooms of each site, creating and editing sites and rooms."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pixoffice.core.permissions import permission_required

from . import queries
from .forms import RoomForm, SiteForm
from .models import Room, Site


@permission_required("rooms.manage_rooms")
def room_list(request):
    sites = list(queries.sites_with_counts())
    site = next((s for s in sites if str(s.pk) == request.GET.get("site")), None)
    return render(
        request,
        "rooms/room_list.html",
        {
            "sites": sites,
            "site": site,
            "rooms": queries.rooms_by_site(site=site),
            "today": timezone.localdate(),
        },
    )


def _edit(request, form_class, instance, template, saved):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        obj = form.save()
        messages.success(request, saved % {"name": obj})
        return redirect("rooms:list")
    return render(request, template, {"form": form, "object": instance})


@permission_required("rooms.manage_rooms")
def room_create(request):
    return _edit(request, RoomForm, None, "rooms/room_form.html", _("Salle « %(name)s » créée."))


@permission_required("rooms.manage_rooms")
def room_edit(request, pk):
    room = get_object_or_404(Room, pk=pk)
    return _edit(
        request, RoomForm, room, "rooms/room_form.html", _("Salle « %(name)s » enregistrée.")
    )


@permission_required("rooms.manage_rooms")
def site_create(request):
    return _edit(request, SiteForm, None, "rooms/site_form.html", _("Site « %(name)s » créé."))


@permission_required("rooms.manage_rooms")
def site_edit(request, pk):
    site = get_object_or_404(Site, pk=pk)
    return _edit(
        request, SiteForm, site, "rooms/site_form.html", _("Site « %(name)s » enregistré.")
    )
