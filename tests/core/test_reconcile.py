"""core.reconcile: the nightly task deletes private files no row refers to (issue #13,
item 4): a crash during submit leaves copies without a row; they go, and only they."""

import datetime
import logging
import os
import time

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from core import reconcile
from core.tasks import delete_unreferenced_files
from dossiers import services
from dossiers.models import Attachment, Dossier
from dossiers.outbox import notify
from forms_builder.models import Draft
from forms_builder.submission import SubmittedFile
from tests.factories import DossierFactory, FormSnapshotFactory, terrace_answers
from tests.files import PDF

TWO_DAYS = 2 * 24 * 3600


def store(name: str, *, age_seconds: int = 0) -> str:
    storage = storages["private"]
    stored = storage.save(name, ContentFile(PDF))
    if age_seconds:
        then = time.time() - age_seconds
        os.utime(storage.path(stored), (then, then))
    return stored


def age(name: str, seconds: int = TWO_DAYS) -> None:
    then = time.time() - seconds
    os.utime(storages["private"].path(name), (then, then))


@pytest.mark.django_db
def test_a_crash_during_submit_leaves_a_copy_that_the_nightly_task_deletes(
    form_page, monkeypatch, caplog
):
    held = store("drafts/abc/Plan van An Peeters.pdf")
    before = set(reconcile.walk(storages["private"], "dossiers"))
    schema = form_page.get_schema()

    def crash(event):
        raise RuntimeError("the process died here")

    monkeypatch.setattr(notify, "queue_for_event", crash)
    with pytest.raises(RuntimeError):
        services.submit_application(
            form_page=form_page,
            schema=schema,
            answers=terrace_answers(schema),
            files=[
                SubmittedFile(
                    step_id="s1",
                    field_name="plan",
                    storage_name=held,
                    name="Plan van An Peeters.pdf",
                    size=len(PDF),
                    content_type="application/pdf",
                )
            ],
        )
    assert not Dossier.objects.exists() and not Attachment.objects.exists()
    copies = sorted(set(reconcile.walk(storages["private"], "dossiers")) - before)
    assert len(copies) == 1  # the copy is on disk with no row
    for name in (*copies, held):
        age(name)

    with caplog.at_level(logging.INFO, logger="core.reconcile"):
        deleted = delete_unreferenced_files()

    assert deleted >= 2
    assert not storages["private"].exists(copies[0])
    assert not storages["private"].exists(held)
    # Logged by count, never by name.
    assert "unreferenced files deleted" in caplog.text
    assert "Plan" not in caplog.text and "dossiers/" not in caplog.text


@pytest.mark.django_db
def test_files_of_rows_and_young_files_are_kept(form_page):
    dossier = DossierFactory(form_page=form_page)
    attachment = Attachment(dossier=dossier, original_name="plan.pdf", size=len(PDF))
    attachment.file.save("plan.pdf", ContentFile(PDF), save=True)
    age(attachment.file.name)

    draft_file = store("drafts/def/foto.png", age_seconds=TWO_DAYS)
    Draft.objects.create(
        page=form_page,
        snapshot=FormSnapshotFactory(),
        data={"step_files": {"1": {"1-foto": [{"tmp_name": draft_file, "name": "foto.png"}]}}},
    )
    young_orphan = store("drafts/ghi/net-geladen.pdf")
    old_orphan = store("information/jkl/oud.pdf", age_seconds=TWO_DAYS)

    reconcile.delete_unreferenced_files()

    storage = storages["private"]
    assert storage.exists(attachment.file.name)
    assert storage.exists(draft_file)
    assert storage.exists(young_orphan)
    assert not storage.exists(old_orphan)


def test_without_any_source_of_references_nothing_is_deleted(monkeypatch):
    monkeypatch.setattr(reconcile.file_references, "_items", {})
    with pytest.raises(reconcile.NoFileReferences):
        reconcile.delete_unreferenced_files()


def test_both_apps_say_which_files_they_refer_to():
    assert {"drafts", "attachments"} <= set(reconcile.file_references.ids())


def test_the_task_runs_every_night():
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.tasks.delete_unreferenced_files" in schedule
    assert delete_unreferenced_files.name == "core.tasks.delete_unreferenced_files"


def test_walk_lists_every_file_below_a_folder(tmp_path):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path)
    for name in ("a.pdf", "x/b.pdf", "x/y/c.pdf"):
        storage.save(name, ContentFile(b"1"))
    assert sorted(reconcile.walk(storage)) == ["a.pdf", "x/b.pdf", "x/y/c.pdf"]
    assert list(reconcile.walk(storage, "missing")) == []


def test_minimum_age_is_a_day():
    assert reconcile.MINIMUM_AGE == datetime.timedelta(days=1)
