"""Where files live: local disk or S3-compatible storage, and the app's file views on a
storage without local paths."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import InMemoryStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.storage import storages_from_environment
from dossiers.models import Attachment, Dossier
from tests.conftest import make_form_page
from tests.dossiers.conftest import make_user
from tests.forms_builder.test_uploads import PDF, UPLOAD_STEPS, post_files, start

REPO_ROOT = Path(__file__).resolve().parents[2]
PRIVATE = Path("/srv/loket/private")


def s3_environment(**extra):
    return {"LOKET_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "loket-media", **extra}


def test_local_disk_is_the_default():
    config = storages_from_environment({}, private_root=PRIVATE)

    assert config["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert config["private"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE), "base_url": None},
    }


def test_s3_with_one_bucket_keeps_private_files_under_their_own_prefix():
    config = storages_from_environment(
        s3_environment(AWS_S3_ENDPOINT_URL="https://s3.example.org"), private_root=PRIVATE
    )

    public, private = config["default"], config["private"]
    assert public["BACKEND"] == "storages.backends.s3.S3Storage"
    assert public["OPTIONS"]["bucket_name"] == "loket-media"
    assert public["OPTIONS"]["location"] == "media"
    assert public["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert private["BACKEND"] == "core.s3.PrivateS3Storage"
    assert private["OPTIONS"]["bucket_name"] == "loket-media"
    assert private["OPTIONS"]["location"] == "private"
    assert private["OPTIONS"]["default_acl"] is None
    assert private["OPTIONS"]["custom_domain"] is None
    for options in (public["OPTIONS"], private["OPTIONS"]):
        assert options["file_overwrite"] is False
        assert not {"access_key", "secret_key"} & set(options)


def test_s3_with_a_private_bucket_and_a_public_acl_only_for_public_media():
    config = storages_from_environment(
        s3_environment(
            AWS_PRIVATE_STORAGE_BUCKET_NAME="loket-dossiers", AWS_DEFAULT_ACL="public-read"
        ),
        private_root=PRIVATE,
    )

    assert config["default"]["OPTIONS"]["default_acl"] == "public-read"
    assert config["private"]["OPTIONS"]["bucket_name"] == "loket-dossiers"
    assert config["private"]["OPTIONS"]["location"] == ""
    assert config["private"]["OPTIONS"]["default_acl"] is None


@pytest.mark.parametrize(
    "environ",
    [
        {"LOKET_STORAGE": "s3"},
        s3_environment(LOKET_S3_PRIVATE_PREFIX="media/private"),
        s3_environment(LOKET_S3_PRIVATE_PREFIX=""),
        {"LOKET_STORAGE": "ftp"},
    ],
)
def test_unsafe_or_incomplete_storage_settings_are_refused(environ):
    with pytest.raises(ImproperlyConfigured):
        storages_from_environment(environ, private_root=PRIVATE)


PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
public, private = storages["default"], storages["private"]
try:
    private.url("dossiers/x/plan.pdf")
    private_url = "given"
except NotImplementedError:
    private_url = "refused"
print(json.dumps({
    "STORAGES": settings.STORAGES,
    "public": [type(public).__name__, public.bucket_name, public.location],
    "private": [type(private).__name__, private.bucket_name, private.location, private.default_acl],
    "public_url": public.url("images/logo.png"),
    "private_url": private_url,
}))
"""


def test_production_settings_with_s3_give_storages_that_work_without_network():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "storage-test-" + "x" * 40,
        "ALLOWED_HOSTS": "loket.example.org",
        "LOKET_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "loket-media",
        "AWS_PRIVATE_STORAGE_BUCKET_NAME": "loket-dossiers",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_S3_REGION_NAME": "eu-west-1",
        "AWS_ACCESS_KEY_ID": "AKIALOKETEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "loket-secret-example",
    }
    output = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    probe = json.loads(output.strip().splitlines()[-1])

    assert probe["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert probe["STORAGES"]["private"]["BACKEND"] == "core.s3.PrivateS3Storage"
    assert "whitenoise" in probe["STORAGES"]["staticfiles"]["BACKEND"]
    assert "loket-secret-example" not in output
    assert probe["public"] == ["S3Storage", "loket-media", "media"]
    assert probe["private"] == ["PrivateS3Storage", "loket-dossiers", "", None]
    assert probe["public_url"] == "http://127.0.0.1:9/loket-media/media/images/logo.png"
    assert probe["private_url"] == "refused"


class PathlessStorage(InMemoryStorage):
    """Files in memory and no local path at all, like S3 (InMemoryStorage itself
    answers ``path()`` with a path where nothing is, and uses it internally)."""

    def _relative_path(self, name):
        return os.path.relpath(InMemoryStorage.path(self, name), self.location)

    def path(self, name):
        raise NotImplementedError("This storage has no local paths.")


@pytest.fixture
def memory_private_storage(settings, monkeypatch):
    """The private storage in memory, without ``path()``."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": f"{__name__}.PathlessStorage"},
    }
    storage = storages["private"]
    assert isinstance(storage, PathlessStorage)
    # The FileField took its storage when the model was defined.
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    with pytest.raises(NotImplementedError):
        storage.path("anything")
    return storage


@pytest.mark.django_db
def test_upload_submit_and_download_on_a_storage_without_paths(
    client, home_page, team, memory_private_storage, django_capture_on_commit_callbacks
):
    page = make_form_page(
        home_page, slug="met-bijlage", reference_prefix="BIJ", steps=UPLOAD_STEPS, team=team
    )
    start(client, page)
    response = post_files(
        client, page, SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page.url + "controleren/", {})
    assert response.status_code == 302

    dossier = Dossier.objects.get()
    attachment = dossier.attachments.get(original_name="plan.pdf")
    assert memory_private_storage.exists(attachment.file.name)

    officer = make_user("behandelaar", team.group)
    client.force_login(officer)
    response = client.get(
        reverse("dossiers_dossier_modeladmin_attachment", args=[dossier.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
