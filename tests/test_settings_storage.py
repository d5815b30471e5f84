"""``STORAGE_BACKEND``: the local folder by default, a private S3 bucket on demand;
production with S3 still passes ``check --deploy`` with no warning."""

import secrets

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from pixoffice.settings.storage import default_storage
from tests.test_settings import run_manage

S3_ENV = {
    "STORAGE_BACKEND": "s3",
    "AWS_STORAGE_BUCKET_NAME": "pixoffice-files",
    "AWS_S3_ENDPOINT_URL": "https://s3.univ-exemple.fr",
}


def test_local_folder_by_default(monkeypatch):
    monkeypatch.delenv("STORAGE_BACKEND", raising=False)
    assert default_storage(environ.Env()) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_s3_is_a_private_bucket_that_never_overwrites(monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_S3_REGION_NAME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**S3_ENV, "AWS_LOCATION": "prod/"}.items():
        monkeypatch.setenv(name, value)

    storage = default_storage(environ.Env())

    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "pixoffice-files",
            "endpoint_url": "https://s3.univ-exemple.fr",
            "region_name": None,
            "location": "prod/",
            "addressing_style": None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }  # no keys: boto3's own chain (an instance role)


def test_s3_keys_come_from_the_environment(monkeypatch):
    for name, value in {**S3_ENV, "AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "k"}.items():
        monkeypatch.setenv(name, value)

    options = default_storage(environ.Env())["OPTIONS"]

    assert (options["access_key"], options["secret_key"]) == ("id", "k")


def test_an_unknown_backend_is_refused_in_french(monkeypatch):
    monkeypatch.setenv("STORAGE_BACKEND", "nfs")
    with pytest.raises(ImproperlyConfigured, match="valeurs possibles « local » ou « s3 »"):
        default_storage(environ.Env())


def test_production_on_s3_passes_check_deploy(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "pixoffice.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "pix.univ-exemple.fr",
            "PIXOFFICE_VAR_DIR": str(tmp_path),
            **S3_ENV,
        },
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
