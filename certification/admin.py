from django.contrib import admin

from .models import Candidate, CertificationResult, CertificationSession


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    raw_id_fields = ["student"]
    readonly_fields = ["placed_at", "placed_by"]


@admin.register(CertificationSession)
class CertificationSessionAdmin(admin.ModelAdmin):
    """Read and fix by hand; sessions are planned on their pages (overlap and seat checks)."""

    list_display = ["starts_at", "room", "seats", "status", "pix_session_number"]
    list_filter = ["status", "room__site"]
    readonly_fields = ["occupied_until"]
    inlines = [CandidateInline]

    def has_add_permission(self, request):
        return False


@admin.register(CertificationResult)
class CertificationResultAdmin(admin.ModelAdmin):
    """Results come from imports; the admin may link a student by hand."""

    list_display = ["certification_number", "last_name", "first_name", "status", "score", "student"]
    list_filter = ["status"]
    search_fields = ["last_name", "first_name", "external_id", "=certification_number"]
    raw_id_fields = ["student", "session"]

    def has_add_permission(self, request):
        return False
