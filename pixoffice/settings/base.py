"""Settings read from the environment (django-environ), with safe development defaults.

Every knob is an environment variable; see ``docs/configuration.md``. Without any
variable the site runs on an embedded default: SQLite under ``var/``, Celery tasks
run eagerly in-process, emails written to ``var/mail/``.
"""

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from .storage import default_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("PIXOFFICE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()


def _development_secret_key() -> str:
    """A random key kept in ``var/`` so that sessions survive a restart in development.

    Production settings never reach this: they require ``SECRET_KEY``.
    """
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _development_secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_cas_ng",  # CAS login (its tickets, for single logout); used only when configured
    "allauth.socialaccount.providers.saml",
    "import_export",
    "ninja",  # the API's documentation page and its static files (served from the site)
    # floors, bottom to top (docs/architecture.md)
    "pixoffice.accounts",
    "pixoffice.mail",
    "pixoffice.badges",
    "pixoffice.events",
    "rooms",
    "campaigns",
    "certification",
    "grading",
    "pixoffice.reminders",
    "pixoffice.portal",
    "pixoffice.privacy",
    "pixoffice.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # before anything reads the body: an oversized upload is refused from its length
    "pixoffice.accounts.request_limits.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the logged-in user read from the cache (accounts/session_user.py)
    "pixoffice.accounts.session_user.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "pixoffice.urls"
WSGI_APPLICATION = "pixoffice.wsgi.application"
ASGI_APPLICATION = "pixoffice.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pixoffice.accounts.context_processors.roles",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'pixoffice.sqlite3'}")
}
# Keep connections open: the default of 0 cut a one-query page's throughput 4.4x here.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"].get("ENGINE", "").endswith("postgresql"):
    # No JIT: it compiles a page's query for seconds when the planner's estimate is big
    # (the follow-up's CTEs at 20,000 participants: 2.4 s of JIT for 0.2 s of work).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache (login rate limits live here) ----------------------------------------------
# Redis, falling back to a per-process cache while Redis is unreachable (pixoffice/cache.py):
# an outage never turns a login into a 500.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "pixoffice.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pixoffice",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The logged-in user read from the cache (accounts/session_user.py): only from a cache
# every process shares, where a password changed by another process is heard of.
SESSION_USER_CACHE = env.bool("SESSION_USER_CACHE", default=bool(REDIS_URL))

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With the broker down, sending a task fails within about a second (the caller then
# runs it in-process or says the queue is unavailable) instead of hanging.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# One queue per kind of work (docs/deployment.md, « Workers »): a 20,000-row import never
# delays an activation mail. A worker consumes the queues given by `-Q`; `make worker` all.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "accounts.apply_roster_import": {"queue": "imports"},
    "campaigns.apply_result_import": {"queue": "imports"},
    "accounts.send_activation": {"queue": "mail"},
    "mail.*": {"queue": "mail"},
    "reminders.*": {"queue": "mail"},
    # on `default`, not behind the imports it checks: it takes back those of a dead worker
    "accounts.release_stale_imports": {"queue": "default"},
    "grading.*": {"queue": "default"},
    "privacy.*": {"queue": "default"},
    "certification.*": {"queue": "mail"},
}
# Batches whose worker died are taken back (also done when their page is viewed).
CELERY_BEAT_SCHEDULE = {
    "release-stale-imports": {"task": "accounts.release_stale_imports", "schedule": 300.0},
    # the outbox (pixoffice/mail/sending.py): due messages every minute
    "mail-send-pending": {"task": "mail.send_pending", "schedule": 60.0},
    # due reminder rules (pixoffice/reminders): missed runs are taken when beat is back
    "reminders-run-due": {"task": "reminders.run_due", "schedule": 900.0},
}
# a message claimed longer ago than this by a worker that never reported becomes « incertain »
MAIL_SENDING_TIMEOUT = env.int("MAIL_SENDING_TIMEOUT", default=600)

# --- personal data retention (pixoffice/privacy/retention.py, docs/configuration.md) ------
# a finished academic year is purged once it ended more than this many years ago
PERSONAL_DATA_RETENTION_YEARS = env.int("PERSONAL_DATA_RETENTION_YEARS", default=5)
# the nightly purge (Celery beat, 03:30 Paris time); off by default: `manage.py
# purge_personal_data` does the same by hand
PERSONAL_DATA_PURGE_ENABLED = env.bool("PERSONAL_DATA_PURGE_ENABLED", default=False)
if PERSONAL_DATA_PURGE_ENABLED:
    from celery.schedules import crontab

    CELERY_BEAT_SCHEDULE["privacy-purge-personal-data"] = {
        "task": "privacy.purge_personal_data",
        "schedule": crontab(hour=3, minute=30),
    }

# --- users and login (django-allauth) -------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # a CAS ticket: only known people (pixoffice/accounts/university_login.py)
    "pixoffice.accounts.cas.CASBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"  # accounts are created from the roster or by admins
ACCOUNT_ADAPTER = "pixoffice.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "pixoffice.accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[pixoffice] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# Failed logins: 10 a minute per address, 5 per 5 minutes per account.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# The client address the per-address limits count (docs/configuration.md, « Behind a
# reverse proxy »). Without these, X-Forwarded-For is ignored: behind a proxy every
# user then shares its address, and 10 failures lock the whole campus out.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])  # addresses or networks
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ONLY = False

# University single sign-on through OpenID Connect (docs/configuration.md).
SSO_OIDC_SERVER_URL = env.str("SSO_OIDC_SERVER_URL", default="")
SOCIALACCOUNT_PROVIDERS: dict = {}
if SSO_OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env.str("SSO_OIDC_PROVIDER_ID", default="universite"),
                "name": env.str("SSO_OIDC_NAME", default="Compte universitaire"),
                "client_id": env.str("SSO_OIDC_CLIENT_ID"),
                "secret": env.str("SSO_OIDC_CLIENT_SECRET"),
                "settings": {"server_url": SSO_OIDC_SERVER_URL},
            }
        ],
    }

# University single sign-on through CAS (pixoffice/settings/cas.py, docs/configuration.md)
from .cas import *  # noqa: E402, F403

# The password form: ``shown``, ``collapsed`` (behind « Connexion par mot de passe
# (personnel) » when a university provider is configured) or ``off`` (refused).
PASSWORD_LOGIN = env.str("PASSWORD_LOGIN", default="collapsed")
if PASSWORD_LOGIN not in ("shown", "collapsed", "off"):
    raise ImproperlyConfigured("PASSWORD_LOGIN : shown, collapsed ou off")
# --- SAML: the RENATER federation (docs/configuration.md, « SAML »; pixoffice/settings/saml.py)
if env.str("SSO_SAML_IDP_ENTITY_ID", default=""):
    from .saml import saml_app

    SOCIALACCOUNT_PROVIDERS["saml"] = {"APPS": [saml_app(env)]}

# --- email ----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="pixoffice <pix@univ-exemple.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = 30

# --- files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# served at the site's root by WhiteNoise (browsers ask for /favicon.ico on every page)
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# Uploaded files are private: they are never served from a public URL.
MEDIA_ROOT = VAR_DIR / "private"
# STORAGE_BACKEND=s3 puts them in a private S3-compatible bucket (pixoffice/settings/storage.py).
STORAGES = {
    "default": default_storage(env),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files are readable by the application's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Uploads: refused above this size (bytes), checked again by each importer.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
BADGE_UPLOAD_MAX_BYTES = env.int("BADGE_UPLOAD_MAX_BYTES", default=2 * 1024 * 1024)
# A request whose Content-Length is above this is answered 413 before its body is read
# (pixoffice.accounts.request_limits); 0: the largest upload limit plus 1 MB of form.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=0)
# Form fields other than files (Django refuses more); files above this go to a
# temporary file (deleted after the request), not to memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# The usual shape of a student number at this university: a number that does not fit is
# imported as it is, with a warning naming its line (never refused, never changed).
STUDENT_NUMBER_PATTERN = env.str("STUDENT_NUMBER_PATTERN", default=r"\d{8}|[A-Za-z]\d+")
STUDENT_NUMBER_SHAPE = env.str(
    "STUDENT_NUMBER_SHAPE", default="8 chiffres, ou une lettre suivie de chiffres"
)
# Roster imports with more rows than this are applied by a Celery task.
ROSTER_IMPORT_TASK_THRESHOLD = env.int("ROSTER_IMPORT_TASK_THRESHOLD", default=2000)
# An import queued for longer than this (seconds) with nobody applying it is marked
# failed (« interrompu ») and can be retried; with the broker unreachable, imports of
# at most this many rows are applied in-process, larger ones fail at once.
IMPORT_STALE_AFTER = env.int("IMPORT_STALE_AFTER", default=15 * 60)
IMPORT_INPROCESS_MAX_ROWS = env.int("IMPORT_INPROCESS_MAX_ROWS", default=50_000)

# --- language and time ----------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]  # each in its own language
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- security defaults that hold in development too -----------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy on every response (django-csp): scripts, styles, images and
# fonts from this site only, no inline script or style anywhere (bars are CSS classes,
# see static/css/site.css), no plugin, no framing. A link to a `javascript:` URL in
# uploaded data (a badge assertion) cannot run. Violations can be reported to
# CSP_REPORT_URI when set.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if _csp_report_uri := env.str("CSP_REPORT_URI", default=""):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [_csp_report_uri]

IMPORT_EXPORT_SKIP_ADMIN_LOG = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint.progress": {"level": "WARNING"},  # 7 lines per PDF otherwise
    },
}

# --- Pix ---------------------------------------------------------------------------------
# Highest level open on Pix today (7 → 56 pix per competence, 896 in all). It is data:
# raise it when Pix opens level 8.
PIX_MAX_REACHABLE_LEVEL = env.int("PIX_MAX_REACHABLE_LEVEL", default=7)
# Pix Orga exports with more rows than this are imported by a Celery task.
PIX_IMPORT_TASK_THRESHOLD = env.int("PIX_IMPORT_TASK_THRESHOLD", default=3000)
# Who signs the PDF attestations (empty: « Bureau Pix de l'université »).
ATTESTATION_ISSUER = env.str("ATTESTATION_ISSUER", default="")
# --- API (pixoffice/api, docs/configuration.md « API ») ---------------------------------
# Requests per token and window (N/s, N/m, N/h, N/d); above: 429 with Retry-After.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/m")
# Refused tokens per client address and window; above: 429, no query, any token.
API_AUTH_FAILURE_LIMIT = env.str("API_AUTH_FAILURE_LIMIT", default="20/m")
# The largest page a list answers (``limit`` above it is lowered to it).
API_PAGE_MAX = env.int("API_PAGE_MAX", default=500)
# Convocations of more candidates than this at once are queued by a Celery task.
CONVOCATION_TASK_THRESHOLD = env.int("CONVOCATION_TASK_THRESHOLD", default=200)
# Recomputing the notes of a cohort larger than this runs as a Celery task.
GRADING_TASK_THRESHOLD = env.int("GRADING_TASK_THRESHOLD", default=3000)
