"""What a staff member may see of the outbox: the messages of the students of the
programmes they follow; admins see everything (account messages without a student too)."""

from django.db.models import Q

from pixoffice.accounts.rules import is_admin

from .models import Batch, Message


def messages_visible_to(user):
    messages = Message.objects.select_related("student", "student__programme", "batch")
    if is_admin(user):
        return messages
    return messages.filter(student__programme__assignments__user=user)


def search_messages(messages, *, status: str = "", q: str = ""):
    if status:
        messages = messages.filter(status=status)
    for word in q.split():
        messages = messages.filter(
            Q(to__icontains=word)
            | Q(student__last_name__icontains=word)
            | Q(student__first_name__icontains=word)
            | Q(student__student_number=word)
        )
    return messages


def batches_visible_to(user):
    """Bulk sends the user created, or that write to one of their students."""
    if is_admin(user):
        return Batch.objects.all()
    return Batch.objects.filter(
        Q(created_by=user) | Q(messages__student__programme__assignments__user=user)
    ).distinct()
