"""The private storage on S3-compatible object storage (``LOKET_STORAGE=s3``).

Imported only when ``STORAGES`` names it (see :mod:`core.storage`), so django-storages and
boto3 load only when S3 is used.
"""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """Applicants' files: stored without a public ACL, and never given a URL.

    The app streams these files through views that check who is asking; a storage URL
    (even a signed one, which anyone holding it may open until it expires) would go
    around those checks, so :meth:`url` refuses.
    """

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotImplementedError(
            "Private files have no URL: serve them through a view that checks permissions."
        )
