"""Writing the outbox: the notification rows an event causes, handed to Celery after
commit; and reading a dossier's outbox."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from dossiers.correspondence import printing
from dossiers.models import Dossier, Event, Notification
from dossiers.outbox.kinds import all_kinds, get_kind
from dossiers.outbox.texts import render
from dossiers.tasks import enqueue

# --- ------------------------------------------------------------------------------


def queue_for_event(event: Event, *, only: Iterable[str] = ()) -> list[Notification]:
    """Write the notifications that ``event`` causes and send them after commit; with
    ``only``, just those of these kinds (a kind asked for again later, such as a new
    address-confirmation link).

    Must run inside the transaction that wrote the event (or, with ``only``, inside a
    transaction of its own): the rows commit or roll back with it.
    """
    created = []
    dossier = event.dossier
    for kind in all_kinds():
        if (only and kind.kind_id not in only) or not kind.matches(event):
            continue
        recipients = kind.recipients(event)
        if not recipients:
            continue
        subject, body = render(kind, event)
        for recipient in recipients:
            notification = Notification.objects.create(
                dossier=dossier,
                event=event,
                kind=kind.kind_id,
                recipient=recipient,
                subject=" ".join(subject.split())[:255],
                body=body,
            )
            created.append(notification)
            if kind.is_letter:
                # On paper or in the eBox too, when the applicant chose so.
                printing.post_message(notification)
    if created:
        ids = [notification.pk for notification in created]
        transaction.on_commit(lambda: [enqueue(pk) for pk in ids])
    return created


def outbox_of(dossier: Dossier) -> list[Notification]:
    """Every e-mail of the dossier with its delivery state, oldest first (one query),
    each with ``kind_label`` for the back office."""
    rows = list(dossier.notifications.all())
    for row in rows:
        kind = get_kind(row.kind)
        row.kind_label = kind.label if kind else row.kind
    return rows
