"""django-import-export resources (used by the admin's export action)."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from .models import Programme, Student


class StudentResource(resources.ModelResource):
    programme = fields.Field(
        attribute="programme", column_name="Formation", widget=ForeignKeyWidget(Programme, "name")
    )

    class Meta:
        model = Student
        import_id_fields = ["student_number"]
        fields = [
            "student_number",
            "last_name",
            "first_name",
            "email",
            "programme",
            "group",
            "birth_date",
            "birth_place",
            "birth_name",
            "ine",
            "extra_time_percent",
        ]
        export_order = fields
