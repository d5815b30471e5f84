"""What the outbox does when a floor below asks for a mail (a signal, since those
floors cannot import this one)."""

from django.dispatch import receiver

from pixoffice.accounts.signals import activation_requested

from . import sending
from .services import queue_message


def activation_key(*, user_id: int, request_id: str) -> str:
    """One message per (account, request): a retried or redelivered task finds its
    message and sends nothing more; a new request (a new id) gets a fresh link."""
    return f"accounts:activation:user:{user_id}:request:{request_id}"


@receiver(activation_requested, dispatch_uid="mail.queue_activation")
def queue_activation(sender, *, user, student, link, language, request_id, **kwargs) -> bool:
    """The link sets the account's password: it is a credential, so the message is
    kept without its student (``queries.messages_visible_to``: only admins see
    account messages), never on a staff page."""
    message, _created = queue_message(
        key=activation_key(user_id=user.pk, request_id=request_id),
        to=user.email,
        template="activation",
        context={"user": user, "link": link},
        language=language,
    )
    return sending.send_now(message)
