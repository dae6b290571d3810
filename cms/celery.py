"""Celery application. Settings come from Django settings with the CELERY_ prefix."""

import logging
import os

from celery import Celery

from cms.logging import connect_task_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

logger = logging.getLogger(__name__)

app = Celery("loket")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
connect_task_signals()


def queue(task, *args, run_here_if_down: bool = False) -> None:
    """Hand ``task`` to the broker without ever failing the caller.

    Called after a transaction commits (the data is saved): a broker that is down must
    not turn a saved submission into an error page. Work kept in the database (the
    notification outbox, decision letters) is picked up later, so it is only logged;
    work that nothing picks up later asks for ``run_here_if_down`` and runs in this
    process instead.
    """
    try:
        task.apply_async(args, retry=False)
    except Exception:  # noqa: BLE001 - any broker error
        # Not the arguments: some are secrets (the token of a sign-in link).
        logger.warning("Could not queue %s", task.name, exc_info=True)
        if run_here_if_down:
            task.apply(args)
