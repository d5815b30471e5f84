"""Create, check and revoke API tokens (``ApiToken``). The secret is returned once by
``create_token`` and never stored: only its SHA-256 is."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import ApiToken

SECRET_PREFIX = "pxo_"  # noqa: S105 (a marker, not a secret)
PREFIX_LENGTH = 12  # "pxo_" and 8 characters of the secret: shown in the lists
# last_used_at is written at most once per this delay: a polling integration does not
# turn every read into a write
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    secret: str  # shown once to the admin, never stored


def create_token(*, name: str, programmes, by=None, expires_at=None) -> CreatedToken:
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name,
            prefix=secret[:PREFIX_LENGTH],
            secret_hash=hash_secret(secret),
            created_by=by,
            expires_at=expires_at,
        )
        token.programmes.set(programmes)
    return CreatedToken(token, secret)


def revoke_token(token: ApiToken, *, by=None) -> bool:
    """Revoke ``token`` now (its next request answers 401). False if it already was."""
    now = timezone.now()
    done = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=by
    )
    if done:
        token.revoked_at, token.revoked_by = now, by
    return bool(done)


def authenticate(secret: str) -> ApiToken | None:
    """The active token whose secret this is, else ``None``. One query (and one UPDATE of
    ``last_used_at`` at most once a minute)."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    now = timezone.now()
    token = ApiToken.objects.filter(secret_hash=hash_secret(secret)).first()
    if token is None or not token.is_active(now):
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
