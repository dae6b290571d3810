"""Handing work to Celery: never failing the caller, and sending templated e-mails.

Celery's application itself is wired in ``cms/celery.py``; these helpers are what the
apps use, so that none of them imports the project's wiring.
"""

import logging
from collections.abc import Sequence
from email.mime.base import MIMEBase

logger = logging.getLogger(__name__)


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


def send_templated_mail(
    task,
    template: str,
    context: dict,
    recipient: str,
    language: str,
    attachments: Sequence[MIMEBase] = (),
) -> bool:
    """Render ``<template>_subject.txt`` and ``_body.txt`` in ``language`` (the site's
    language when it is not one of the site's) as plain text (no HTML escaping,
    see :mod:`core.mail`) and send them to ``recipient``, from inside the bound Celery
    ``task``, with ``attachments`` (MIME parts, e.g. a ``text/calendar`` part whose
    ``method`` parameter calendars read). A failure is retried with backoff (30 s,
    60 s, ...); run eagerly (no broker) it is logged and the task returns False. Returns
    True when sent."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.utils import translation

    from core.mail import render_plain_text, render_subject

    supported = {code for code, _name in settings.LANGUAGES}
    with translation.override(language if language in supported else settings.LANGUAGE_CODE):
        subject = render_subject(f"{template}_subject.txt", context)
        body = render_plain_text(f"{template}_body.txt", context)
    try:
        message = EmailMessage(subject, body, None, [recipient])
        for part in attachments:
            message.attach(part)
        message.send()
    except Exception as exc:
        if task.request.is_eager:
            logger.warning("%s not sent: %s", task.name, type(exc).__name__)
            return False
        raise task.retry(exc=exc, countdown=30 * 2**task.request.retries) from exc
    return True
