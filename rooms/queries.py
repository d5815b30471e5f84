"""Querysets the pages reuse."""

from django.db.models import Count

from .models import Room, Site


def rooms_by_site(*, site=None):
    rooms = Room.objects.select_related("site").order_by("site__name", "building", "name")
    return rooms.filter(site=site) if site is not None else rooms


def sites_with_counts():
    return Site.objects.annotate(room_count=Count("rooms")).order_by("name")
