"""django-import-export resources: rooms in and out of a spreadsheet (admin)."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from .models import Room, Site


class SiteResource(resources.ModelResource):
    class Meta:
        model = Site
        import_id_fields = ["name"]
        fields = ["name", "address"]
        export_order = fields


class RoomResource(resources.ModelResource):
    site = fields.Field(attribute="site", column_name="site", widget=ForeignKeyWidget(Site, "name"))

    class Meta:
        model = Room
        import_id_fields = ["site", "name"]
        fields = [
            "site",
            "building",
            "name",
            "seats",
            "certified_until",
            "wheelchair_accessible",
            "notes",
        ]
        export_order = fields
