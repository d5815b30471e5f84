"""Where uploaded and generated files live: ``STORAGES["default"]`` (docs/deployment.md).

Code reaches files only through the storage (``FieldFile.open``, ``.save``, ``.delete``),
never through a local path, so the same code runs with:

- ``STORAGE_BACKEND=local`` (the default): the folder ``MEDIA_ROOT`` (``var/private``),
  files ``0600`` in ``0700`` folders; one machine, or a folder every machine mounts;
- ``STORAGE_BACKEND=s3``: a private bucket of an S3-compatible store (AWS, MinIO, Ceph,
  Garage, OVH, Scaleway…) through django-storages; several machines share it. Files are
  never given a public URL: they are served by the application's permission-checked views.
"""

from django.core.exceptions import ImproperlyConfigured


def default_storage(env) -> dict:
    backend = env.str("STORAGE_BACKEND", default="local")
    if backend == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if backend != "s3":
        raise ImproperlyConfigured(
            f"STORAGE_BACKEND={backend!r} : valeurs possibles « local » ou « s3 »."
        )
    options = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "location": env.str("AWS_LOCATION", default=""),  # a prefix inside the bucket
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
        # private: no ACL sent (the bucket's own, private), links only ever signed
        "default_acl": None,
        "querystring_auth": True,
        # two uploads of the same name keep both files, as on the local file system
        "file_overwrite": False,
    }
    # Without keys, boto3 looks for its usual credentials (instance role, ~/.aws).
    for option, variable in [
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
    ]:
        if value := env.str(variable, default=""):
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
