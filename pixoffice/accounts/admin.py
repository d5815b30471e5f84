from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionModelAdmin

from .models import AcademicYear, Programme, RosterImport, Semester, StaffAssignment, Student, User
from .resources import StudentResource


class StaffAssignmentInline(admin.TabularInline):
    model = StaffAssignment
    extra = 1
    autocomplete_fields = ["programme"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [StaffAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name")}),
        (_("Rôle"), {"fields": ("role", "is_active", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]


class SemesterInline(admin.TabularInline):
    model = Semester
    extra = 0


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end"]
    inlines = [SemesterInline]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Student)
class StudentAdmin(ExportActionModelAdmin):
    resource_classes = [StudentResource]
    list_display = [
        "student_number",
        "last_name",
        "first_name",
        "programme",
        "group",
        "extra_time_percent",
    ]
    list_filter = ["programme", "academic_year"]
    search_fields = ["student_number", "last_name", "first_name", "email", "ine"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_by_import", "last_changed_by_import"]  # written by imports
    list_select_related = ["programme"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "uploaded_by", "uploaded_at", "status"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in RosterImport._meta.fields]

    def has_add_permission(self, request):
        return False
