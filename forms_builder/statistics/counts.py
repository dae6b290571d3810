"""Keeping :class:`~forms_builder.models.step_counts.StepCount` and
:class:`~forms_builder.models.step_counts.CompletionTime` in step with the drafts.

The draft storage calls :func:`draft_started` and :func:`draft_moved` in the save it
already does; the wizard calls :func:`draft_sent` in the transaction that stores the
submission. Each is an ``UPDATE ... SET n = n + 1`` on one row (created the first time),
so two applicants at once never lose a count. Deleting a draft changes no count: that
is the point of these rows.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..models.draft import Draft
from ..models.step_counts import CompletionTime, StepCount


def _day(moment: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(moment or timezone.now())


def _add(model, lookup: dict, **changes: int) -> None:
    """Add ``changes`` to the counters of the row ``lookup`` (creating it at zero)."""
    increments = {name: F(name) + amount for name, amount in changes.items()}
    if model.objects.filter(**lookup).update(**increments):
        return
    try:
        with transaction.atomic():
            model.objects.create(**lookup, **changes)
    except IntegrityError:
        # Another request created the row in between: add to it.
        model.objects.filter(**lookup).update(**increments)


def draft_started(draft: Draft) -> None:
    """A new draft: one more application left at its furthest step."""
    _add(
        StepCount,
        {"page_id": draft.page_id, "day": _day(draft.created_at), "step": draft.furthest_step},
        left=1,
    )


def draft_moved(draft: Draft, before: int) -> None:
    """The draft's furthest step went from ``before`` to ``draft.furthest_step``."""
    if before == draft.furthest_step:
        return
    day = _day(draft.created_at)
    _add(StepCount, {"page_id": draft.page_id, "day": day, "step": before}, left=-1)
    _add(StepCount, {"page_id": draft.page_id, "day": day, "step": draft.furthest_step}, left=1)


def draft_sent(draft: Draft, *, sent_at: datetime.datetime | None = None) -> None:
    """The draft was sent (once; the wizard's lock on the draft makes sure): it moves
    from "left" to "sent" at its furthest step, and its time to complete is counted."""
    sent_at = sent_at or timezone.now()
    day = _day(draft.created_at)
    lookup = {"page_id": draft.page_id, "day": day, "step": draft.furthest_step}
    _add(StepCount, lookup, left=-1, sent=1)
    minutes = max(0, round((sent_at - draft.created_at).total_seconds() / 60))
    _add(CompletionTime, {"page_id": draft.page_id, "day": day, "minutes": minutes}, count=1)


def count_existing(draft: Draft) -> None:
    """Count a draft as it stands (started, at its furthest step, sent or not): for
    drafts that existed before the counts did, and for tests that build drafts."""
    day = _day(draft.created_at)
    lookup = {"page_id": draft.page_id, "day": day, "step": draft.furthest_step}
    if draft.submitted_dossier_id is None:
        _add(StepCount, lookup, left=1)
        return
    _add(StepCount, lookup, sent=1)
    minutes = max(0, round((draft.updated_at - draft.created_at).total_seconds() / 60))
    _add(CompletionTime, {"page_id": draft.page_id, "day": day, "minutes": minutes}, count=1)
