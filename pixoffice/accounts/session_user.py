"""The logged-in user of a request, read from the cache instead of the database.

Publication day (issue 15): every page of a logged-in person reads their user row, and
on the cached student home it was the one query left, plus the connection's health
check. Here the row, as the login backend returned it, is kept in the cache
(``CACHE_TTL``) under its backend and id. A cached user is used only when the session
was made for that very account: the session's auth hash must match the cached
password's (as Django checks it); anything else takes Django's own path
(``auth.get_user``: the row read again, the backend's checks, the fallback secrets,
the session flushed).

Never stale: saving, updating or deleting users through the ORM (a password changed, an
account deactivated, a role changed, a login) forgets them, at once and again after the
commit (a request that read the old row meanwhile does not keep it). While Redis is
unreachable each process falls back to a cache of its own (``pixoffice/cache.py``),
which another process's change never reaches: then, as without Redis (the embedded
default's ``LocMemCache``), nothing is cached. A user saved during the outage may still
be in Redis, cached before it, when Redis comes back: at most ``CACHE_TTL`` more, the
bound the sessions cached in Redis already have (``settings/production.py``).
"""

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoMiddleware
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from .signals import users_updated

CACHE_TTL = 300  # seconds: a safety net; every save of the row forgets it


def _key(backend_path: str, user_id) -> str:
    return f"accounts:session-user:{backend_path}:{user_id}"


def _shared() -> bool:
    """Whether every process reads the same cache (``SESSION_USER_CACHE``: Redis),
    reachable. A cache of each process's own (``LocMemCache`` without ``REDIS_URL``, or
    the fallback during an outage) never hears of a password changed by another."""
    return settings.SESSION_USER_CACHE and not getattr(caches["default"], "degraded", False)


def get_user(request):
    """``auth.get_user(request)``, with the row from the cache when it is there."""
    if not _shared():
        return auth.get_user(request)
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    key = _key(backend_path, user_id)
    user = cache.get(key)
    if user is not None:
        session_hash = request.session.get(auth.HASH_SESSION_KEY)
        if session_hash and constant_time_compare(session_hash, user.get_session_auth_hash()):
            return user
    user = auth.get_user(request)
    if user.is_authenticated:
        # as the backend returned it: nothing of this request (permissions, the student
        # record) is attached to it yet
        cache.set(key, user, CACHE_TTL)
    return user


class AuthenticationMiddleware(DjangoMiddleware):
    """Django's, with ``request.user`` read through ``get_user`` above."""

    def process_request(self, request):
        super().process_request(request)

        def user():
            if not hasattr(request, "_cached_user"):
                request._cached_user = get_user(request)
            return request._cached_user

        request.user = SimpleLazyObject(user)


def forget(user_ids) -> None:
    paths = settings.AUTHENTICATION_BACKENDS
    cache.delete_many([_key(path, pk) for pk in user_ids for path in paths])


class _ForgetAfterCommit:
    """The users a transaction saved, forgotten again once it commits: one callback per
    transaction (a purge deletes thousands of users)."""

    def __init__(self):
        self.user_ids = set()

    def __call__(self):
        forget(self.user_ids)


def _user_changed(sender, instance, **kwargs):
    _forget_now_and_after_commit([instance.pk])


def _users_updated(sender, user_ids, **kwargs):
    _forget_now_and_after_commit(user_ids)


def _forget_now_and_after_commit(user_ids) -> None:
    forget(user_ids)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return  # saved and committed already
    savepoints = set(connection.savepoint_ids)
    pending = next(
        (  # one that only a rollback undoing this change too can drop
            func
            for sids, func, _robust in connection.run_on_commit
            if isinstance(func, _ForgetAfterCommit) and sids <= savepoints
        ),
        None,
    )
    if pending is None:
        pending = _ForgetAfterCommit()
        transaction.on_commit(pending)
    pending.user_ids.update(user_ids)


post_save.connect(_user_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="session_user_save")
post_delete.connect(
    _user_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="session_user_delete"
)
users_updated.connect(_users_updated, dispatch_uid="session_user_update")
