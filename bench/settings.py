"""Settings of the student home benchmark's gunicorn (``bench/student_home_bench.py``).

Production's, served over plain HTTP on loopback (no HTTPS redirect), with the
bench-only URLconf ``bench/urls.py``: the product's pages plus the bare page the
student home is compared with. Never used by the product.
"""

from pixoffice.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
