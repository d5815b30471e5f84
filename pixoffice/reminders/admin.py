from django.contrib import admin

from .models import ReminderRule, ReminderRun

admin.site.register(ReminderRule)


@admin.register(ReminderRun)
class ReminderRunAdmin(admin.ModelAdmin):
    list_display = ["rule", "occurrence", "targeted", "completed"]
