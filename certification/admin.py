from django.contrib import admin

from .models import Candidate, CertificationSession


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
