"""Where uploaded files live: local disk (the default) or S3-compatible object storage.

``LOKET_STORAGE`` chooses (``local`` or ``s3``); :func:`storages_from_environment` turns
that and the variables below into Django's ``STORAGES``. Two storages matter:

- ``default``: public media (images and documents editors upload in Wagtail), served
  under ``MEDIA_URL`` or straight from the bucket.
- ``private``: applicants' uploads and the letters of dossiers. Never under a public URL:
  always served through the app's views that check who is asking (on S3 through
  :class:`core.s3.PrivateS3Storage`, which refuses to make any URL, signed or not).

On S3 the private files go to their own bucket (``AWS_PRIVATE_STORAGE_BUCKET_NAME``) or,
in the one bucket, under their own prefix (``LOKET_S3_PRIVATE_PREFIX``, default
``private``) that must not overlap the public one (``LOKET_S3_MEDIA_PREFIX``, default
``media``). Credentials are never put in the settings: boto3 reads
``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY`` (or an instance role) itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

STATICFILES = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def _flag(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def storages_from_environment(environ: Mapping[str, str], *, private_root: Path) -> dict:
    """``STORAGES`` for the storage that ``environ`` asks for."""
    kind = (environ.get("LOKET_STORAGE") or "local").strip().lower()
    if kind == "local":
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(private_root), "base_url": None},
            },
            "staticfiles": dict(STATICFILES),
        }
    if kind == "s3":
        return _s3_storages(environ)
    raise ImproperlyConfigured(f"LOKET_STORAGE must be 'local' or 's3', not {kind!r}.")


def _s3_storages(environ: Mapping[str, str]) -> dict:
    bucket = (environ.get("AWS_STORAGE_BUCKET_NAME") or "").strip()
    if not bucket:
        raise ImproperlyConfigured("LOKET_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    private_bucket = (environ.get("AWS_PRIVATE_STORAGE_BUCKET_NAME") or "").strip() or bucket
    media_prefix = (environ.get("LOKET_S3_MEDIA_PREFIX", "media") or "").strip("/")
    default_private_prefix = "private" if private_bucket == bucket else ""
    private_prefix = environ.get("LOKET_S3_PRIVATE_PREFIX", default_private_prefix).strip("/")
    if private_bucket == bucket and _overlap(media_prefix, private_prefix):
        raise ImproperlyConfigured(
            "Public and private files share the bucket "
            f"{bucket!r}: LOKET_S3_MEDIA_PREFIX ({media_prefix!r}) and "
            f"LOKET_S3_PRIVATE_PREFIX ({private_prefix!r}) must be separate folders."
        )
    common = {
        "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("AWS_S3_REGION_NAME") or None,
        "addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE") or None,
        # Never replace a file of the same name: Django finds a free name instead.
        "file_overwrite": False,
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": bucket,
                "location": media_prefix,
                "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
                # Public media: plain URLs (the bucket or CDN serves the prefix publicly),
                # unless the operator asks for signed ones.
                "querystring_auth": _flag(environ.get("AWS_QUERYSTRING_AUTH"), False),
                "default_acl": environ.get("AWS_DEFAULT_ACL") or None,
            },
        },
        "private": {
            "BACKEND": "core.s3.PrivateS3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": private_bucket,
                "location": private_prefix,
                # The bucket's own (private) ACL, whatever AWS_DEFAULT_ACL says.
                "default_acl": None,
                "custom_domain": None,
            },
        },
        "staticfiles": dict(STATICFILES),
    }


def _overlap(one: str, other: str) -> bool:
    """Whether two prefixes of one bucket share objects ("" is the whole bucket)."""
    if not one or not other:
        return True
    one, other = one + "/", other + "/"
    return one.startswith(other) or other.startswith(one)


def private_storage():
    """The storage of applicants' uploads and dossiers' letters: never under a public URL
    (``STORAGES["private"]``; see the module docstring)."""
    from django.core.files.storage import storages

    return storages["private"]
