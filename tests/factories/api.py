from pixoffice.api import tokens


def make_token(programmes, *, name="Pégase", by=None, expires_at=None, used=True):
    """An API token for ``programmes`` with its secret as ``token.secret`` (the only time
    it is known). ``used``: last used now, so a first request does not write it."""
    created = tokens.create_token(name=name, programmes=programmes, by=by, expires_at=expires_at)
    token = created.token
    if used:
        from django.utils import timezone

        token.last_used_at = timezone.now()
        token.save(update_fields=["last_used_at"])
    token.secret = created.secret
    return token


def bearer(token_or_secret) -> dict:
    """The header a test client sends: ``client.get(url, **bearer(token))``."""
    secret = getattr(token_or_secret, "secret", token_or_secret)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
