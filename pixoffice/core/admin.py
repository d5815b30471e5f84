"""The admin's read-only pages: records that only the site's services write (imported
rows, notes and their audit trail) are shown to admins, never added, changed or deleted
there."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
