from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .models import Room, Site
from .resources import RoomResource, SiteResource


@admin.register(Site)
class SiteAdmin(ImportExportModelAdmin):
    resource_classes = [SiteResource]
    list_display = ["name", "address"]
    search_fields = ["name"]


@admin.register(Room)
class RoomAdmin(ImportExportModelAdmin):
    resource_classes = [RoomResource]
    list_display = ["name", "site", "building", "seats", "certified_until", "wheelchair_accessible"]
    list_filter = ["site", "wheelchair_accessible"]
    search_fields = ["name", "building"]
