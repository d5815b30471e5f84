from django.contrib import admin

from .models import Batch, Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "key", "subject"]
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False  # messages come from queue_message, with their key


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["label", "created_by", "created_at"]
