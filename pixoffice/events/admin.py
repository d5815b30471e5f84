from django.contrib import admin

from .models import OfficeHours, Registration, SupportSession, Workshop

admin.site.register(SupportSession)
admin.site.register(Workshop)
admin.site.register(OfficeHours)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["workshop", "student", "status", "created_at"]
    list_filter = ["status"]
