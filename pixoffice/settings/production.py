"""Production: everything of ``base`` plus HTTPS and strictness.

Refuses to start without ``SECRET_KEY`` (or ``SECRET_KEY_FILE`` for Docker secrets)
and ``ALLOWED_HOSTS``; ``manage.py check --deploy`` passes with no warning.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env


def _secret_key() -> str:
    key_file = env.str("SECRET_KEY_FILE", default="")
    key = Path(key_file).read_text().strip() if key_file else env.str("SECRET_KEY", default="")
    if len(key) < 50 or len(set(key)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY (ou SECRET_KEY_FILE) doit être défini en production : "
            "au moins 50 caractères aléatoires."
        )
    return key


SECRET_KEY = _secret_key()
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

# Sessions read from Redis, written to both Redis and the database (``cached_db``): a
# logged-in visit (publication day: the student home) reads no session row. The copy in
# Redis lives 5 minutes at most, so a logout while Redis was unreachable (the fallback
# cache deleted, not Redis) outlives it by 5 minutes at most; then the row is read again.
if CACHES["default"]["BACKEND"] == "pixoffice.cache.ResilientRedisCache":  # noqa: F405
    CACHES["sessions"] = {  # noqa: F405
        **CACHES["default"],  # noqa: F405
        "KEY_PREFIX": "pixoffice-sessions",
        "TIMEOUT": 300,
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"
