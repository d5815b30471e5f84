"""Tests: ``base`` with fast password hashing and an isolated ``var`` folder.

The database comes from ``DATABASE_URL`` like everywhere else (``make test`` points
it at the local PostgreSQL); tasks run eagerly unless a test starts a real worker.

``PIXOFFICE_TEST_STORAGE=s3`` runs the suite against a second file storage: an S3
server (moto) on loopback, started here, and django-storages' S3 backend, so that any
code reaching a file by a local path fails (``.ci/run`` runs the suite both ways). The
server's address is put in the environment: the real Celery workers and ``manage.py``
subprocesses that tests start use the same bucket, as machines of a deployment would.
"""

import logging
import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import LOGGING, env
from .storage import default_storage

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pixoffice-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_USER_CACHE = True  # the pages and the test run in one process: one cache
# Live-server threads must not keep connections open, or the test database cannot be dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405


def _start_s3_server() -> None:
    """A moto S3 server on a free loopback port with one empty bucket, named in the
    environment as a deployment would name its store (once per test run: a subprocess
    inherits the address and uses the parent's server)."""
    import boto3  # noqa: PLC0415 (heavy: moto and boto3, only for the S3 run)
    from moto.server import ThreadedMotoServer  # noqa: PLC0415 (heavy)

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    os.environ.update(
        STORAGE_BACKEND="s3",
        AWS_S3_ENDPOINT_URL=f"http://{host}:{port}",
        AWS_STORAGE_BUCKET_NAME="pixoffice-test",
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",  # noqa: S106 (moto's server takes any key)
    )
    boto3.client(
        "s3",
        endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",  # noqa: S106
    ).create_bucket(Bucket="pixoffice-test")


TEST_STORAGE = env.str("PIXOFFICE_TEST_STORAGE", default="local")
if TEST_STORAGE == "s3":
    if not os.environ.get("AWS_S3_ENDPOINT_URL"):
        _start_s3_server()
    STORAGES["default"] = default_storage(env)
    LOGGING["loggers"]["werkzeug"] = {"level": "WARNING"}  # the S3 server's request lines
elif TEST_STORAGE != "local":
    raise ValueError(f"PIXOFFICE_TEST_STORAGE={TEST_STORAGE!r}: « local » or « s3 »")
