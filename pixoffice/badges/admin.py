from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import BadgeRequirement, BadgeSubmission, TrustedBadge


@admin.register(TrustedBadge)
class TrustedBadgeAdmin(admin.ModelAdmin):
    list_display = ["name", "issuer_name", "issuer_uri", "badge_class_uri", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "issuer_name", "issuer_uri", "badge_class_uri"]


@admin.register(BadgeRequirement)
class BadgeRequirementAdmin(admin.ModelAdmin):
    list_display = ["name", "academic_year", "semester", "deadline"]
    list_filter = ["academic_year", "programmes"]
    search_fields = ["name"]
    filter_horizontal = ["programmes", "trusted_badges"]


@admin.register(BadgeSubmission)
class BadgeSubmissionAdmin(admin.ModelAdmin):
    """Submissions come from uploads and are reviewed on the staff pages; the admin
    only reads them (the file through the permission-checked view) and never deletes
    one: the history stays, and a status changes only through a review."""

    list_display = ["student", "requirement", "status", "is_current", "uploaded_at"]
    list_filter = ["status", "is_current", "requirement"]
    search_fields = ["student__last_name", "student__student_number", "issuer_name"]
    list_select_related = ["student", "requirement"]
    exclude = ["file"]
    readonly_fields = ["uploaded_file", *[f.name for f in BadgeSubmission._meta.fields]]

    @admin.display(description=_("fichier"))
    def uploaded_file(self, submission):
        url = reverse("badges:submission_file", kwargs={"pk": submission.pk})
        return format_html('<a href="{}">{}</a>', url, submission.original_name)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
