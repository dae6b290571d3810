"""A draft's files go with it, however the draft is deleted (issue #13, item 4)."""

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from forms_builder import drafts
from forms_builder.models import Draft
from tests.conftest import make_form_page
from tests.files import PDF
from tests.forms_builder.test_uploads import UPLOAD_STEPS, post_files, start


@pytest.fixture
def upload_page(home_page, team):
    return make_form_page(
        home_page, slug="met-bijlage", reference_prefix="BIJ", steps=UPLOAD_STEPS, team=team
    )


def draft_with_a_file(client, page) -> tuple[Draft, str]:
    start(client, page)
    post_files(client, page, SimpleUploadedFile("plan.pdf", PDF))
    draft = Draft.objects.get()
    (name,) = drafts.draft_file_names(draft)
    assert storages["private"].exists(name)
    return draft, name


@pytest.mark.django_db
def test_deleting_the_form_page_deletes_its_drafts_files(
    client, upload_page, django_capture_on_commit_callbacks
):
    _draft, name = draft_with_a_file(client, upload_page)

    with django_capture_on_commit_callbacks(execute=True):
        upload_page.delete()

    assert not Draft.objects.exists()
    assert not storages["private"].exists(name)


@pytest.mark.django_db
def test_expired_and_erased_drafts_take_their_files(
    client, upload_page, django_capture_on_commit_callbacks
):
    draft, name = draft_with_a_file(client, upload_page)
    Draft.objects.filter(pk=draft.pk).update(expires_at=draft.created_at)

    with django_capture_on_commit_callbacks(execute=True):
        assert drafts.delete_expired_drafts() == 1

    assert not storages["private"].exists(name)


@pytest.mark.django_db
def test_a_deletion_that_is_rolled_back_keeps_the_files(
    client, upload_page, django_capture_on_commit_callbacks
):
    draft, name = draft_with_a_file(client, upload_page)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                Draft.objects.filter(pk=draft.pk).delete()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    assert callbacks == []
    assert Draft.objects.filter(pk=draft.pk).exists()
    assert storages["private"].exists(name)
