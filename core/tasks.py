"""Celery tasks of the platform. They take no arguments and are safe to run twice."""

from celery import shared_task

from core import reconcile


@shared_task(name="core.tasks.delete_unreferenced_files")
def delete_unreferenced_files() -> int:
    """Delete private files that no row refers to and that are older than a day
    (nightly, see :mod:`core.reconcile`). Running it twice deletes nothing more the
    second time; it is not retried: the next night picks up what was left."""
    return reconcile.delete_unreferenced_files()
