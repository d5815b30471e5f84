"""What the accounts floor tells the floors above, without importing them.

``activation_requested``: a roster student asked for their activation link and it is
ready (``user``, ``student``, ``link``, ``language``, ``request_id``: one id per
request, the same for a retry of it). The outbox (``pixoffice.mail.receivers``)
queues it under a key made of the user and the request, so a retried task never
sends it twice, and sends it at once. Receivers return whether it left now.

``users_updated``: users were changed by ``User.objects.filter(…).update(…)``
(``user_ids``), which sends no ``post_save``; the cached logged-in users
(``session_user.py``) are forgotten.
"""

from django.dispatch import Signal

activation_requested = Signal()
users_updated = Signal()
