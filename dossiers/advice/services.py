"""Asking other services for advice on a dossier (the "advice" stage).
This module is longer than 400 lines because asking, answering through the secret link,
stopping and reminding share one advice request's locking and timeline events.

An officer asks one or more :class:`~dossiers.models.AdviceParty` at once
(:func:`ask`), choosing the answers and files each party may read and a deadline. Each
party gets an e-mail with its own secret link (:class:`AdviceRequested`, in
:mod:`.emails`); only the hash of the link's key is stored. Behind the link
(:func:`find_by_link`) the party reads those parts and answers (:func:`answer`):
favourable, favourable with conditions or unfavourable, with text and files. The
officer side hears of every answer. The officer may go on without waiting
(:func:`stop_waiting`): the open requests close and the event says so. Asking advice
changes no status and does not stop the decision term.

Before and after the deadline the party gets one reminder each (:func:`send_due_reminders`,
daily through Celery beat); a reminder carries a new link, the old one stops working.

Locks: the dossier row first, then the request, like :mod:`dossiers.information`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import permissions, stages
from dossiers.constants import OFFICER, OPEN_STATUSES, EventType
from dossiers.exceptions import ActionRefused
from dossiers.models import (
    AdviceParty,
    AdviceRequest,
    Attachment,
    AttachmentKind,
    Dossier,
    Event,
    Verdict,
)
from dossiers.outbox import notify
from forms_builder.fields import get_field_type
from forms_builder.schema import display_answers, input_fields

#: The longest question or answer text, in characters.
MAX_TEXT = 5000

#: Days before the deadline the party is reminded (once), and after it (once).
REMIND_DAYS_BEFORE = 2
REMIND_DAYS_AFTER = 1


def link_days_after_deadline() -> int:
    """How long a link keeps working after the deadline (``LOKET_ADVICE_LINK_DAYS``)."""
    return int(getattr(settings, "LOKET_ADVICE_LINK_DAYS", 30))


def _link_expiry(deadline: datetime.date) -> datetime.datetime:
    end = datetime.datetime.combine(
        deadline + datetime.timedelta(days=link_days_after_deadline() + 1), datetime.time.min
    )
    return timezone.make_aware(end)


def shareable_fields(dossier: Dossier) -> list[tuple[str, str]]:
    """(``"<step id>:<name>"``, "step – label") per answer the officer may share."""
    choices = []
    for section in display_answers(dossier.schema, dossier.answers):
        for row in section["rows"]:
            choices.append(
                (f"{section['id']}:{row['name']}", f"{section['title']} – {row['label']}")
            )
    return choices


def shared_answers(advice_request: AdviceRequest) -> list[dict]:
    """The answers the party may read, per step (the shape of ``display_answers``),
    nothing else of the dossier. An answer of files names only the files shared with
    the party (file names are personal data too); sharing it is not sharing its files."""
    dossier = advice_request.dossier
    shared = set(advice_request.shared_fields)
    with_files = _file_fields(dossier.schema)
    shared_files = list(advice_request.shared_files.all())
    sections = []
    for section in display_answers(dossier.schema, dossier.answers):
        rows = []
        for row in section["rows"]:
            if f"{section['id']}:{row['name']}" not in shared:
                continue
            if (section["id"], row["name"]) in with_files:
                names = [
                    each.original_name
                    for each in shared_files
                    if (each.step_id, each.field_name) == (section["id"], row["name"])
                ]
                row = {**row, "value": ", ".join(names) or _("No files shared")}
            rows.append(row)
        if rows:
            sections.append({**section, "rows": rows})
    return sections


def _file_fields(schema: dict) -> set[tuple[str, str]]:
    """(step id, field name) of every field of ``schema`` whose answer is files."""
    return {
        (step["id"], field["name"])
        for step, field in input_fields(schema)
        if getattr(get_field_type(field["type"]), "takes_files", False)
    }


def refusal(dossier: Dossier, officer=None) -> str:
    """Why advice cannot be asked on ``dossier`` now; empty when it can."""
    reason = stages.refusal(dossier, stages.ADVICE)
    if reason:
        return reason
    if not dossier.is_open:
        return _("This dossier is no longer being handled.")
    if officer is not None and OFFICER not in permissions.roles_on(officer, dossier):
        return _("You may not do this on this dossier.")
    return ""


@dataclass
class Asked:
    """A request just made, with the key of its link (only in the e-mail)."""

    request: AdviceRequest
    key: str


def ask(
    dossier: Dossier,
    officer,
    parties: Iterable[AdviceParty],
    *,
    deadline: datetime.date,
    question: str = "",
    fields: Iterable[str] = (),
    files: Iterable[Attachment] = (),
) -> list[AdviceRequest]:
    """Ask each of ``parties`` for advice on ``dossier``, in one transaction.

    ``fields`` are ``"<step id>:<name>"`` of :func:`shareable_fields`; ``files`` are
    attachments of this dossier. Writes one request per party, one ``advice_requested``
    event per party (visible to the applicant when the form says advice is public) and
    queues each party's e-mail with its link. Raises :class:`ActionRefused` (a Dutch
    message) when the form does not use the advice stage, the dossier is closed, the
    officer is not of its team, no party is chosen or a party gives advice to another
    municipality only, the deadline is not in the future,
    or an answer or file is not of this dossier.
    """
    parties = list(parties)
    question = (question or "").strip()
    if not parties:
        raise ActionRefused(_("Choose at least one party to ask for advice."))
    if any(not party.active or not party.address for party in parties):
        raise ActionRefused(_("This party cannot be asked for advice now."))
    if any(not party.serves(dossier.site_id) for party in parties):
        raise ActionRefused(_("This party gives advice to another municipality."))
    if deadline <= timezone.localdate():
        raise ActionRefused(_("Choose a deadline after today."))
    if len(question) > MAX_TEXT:
        raise ActionRefused(
            _("Keep the question shorter than %(count)d characters.") % {"count": MAX_TEXT}
        )
    fields = list(dict.fromkeys(fields))
    files = list(files)
    with transaction.atomic():
        locked = (
            # Only the dossier's row is locked (the form and snapshot may be left-joined,
            # and PostgreSQL cannot lock the nullable side of an outer join).
            Dossier.objects.select_for_update(of=("self",))
            .select_related("snapshot", "form_page")
            .get(pk=dossier.pk)
        )
        reason = refusal(locked, officer)
        if reason:
            raise ActionRefused(reason)
        allowed = {value for value, _label in shareable_fields(locked)}
        if not set(fields) <= allowed or any(f.dossier_id != locked.pk for f in files):
            raise ActionRefused(_("Only answers and files of this dossier can be shared."))
        public = bool(locked.form_page and locked.form_page.advice_public)
        made = []
        for party in parties:
            advice_request = AdviceRequest(
                dossier=locked,
                party=party,
                question=question,
                deadline=deadline,
                shared_fields=fields,
                asked_by=officer,
                link_expires_at=_link_expiry(deadline),
            )
            key = advice_request.new_key()
            advice_request.save()
            advice_request.shared_files.set(files)
            _record(locked, EventType.ADVICE_REQUESTED, advice_request, key, officer, public)
            made.append(advice_request)
    return made


def _record(
    dossier: Dossier,
    event_type: str,
    advice_request: AdviceRequest,
    key: str,
    actor,
    public: bool,
    **extra,
) -> Event:
    """The event of a request (with the party's name for the timeline) and its e-mail.
    ``key`` travels on the event object only, to the e-mail being written now."""
    event = Event.objects.create(
        dossier=dossier,
        type=event_type,
        actor=actor,
        public=public,
        data={
            "advice_request": advice_request.pk,
            "party": advice_request.party.name,
            "deadline": advice_request.deadline.isoformat(),
            **extra,
        },
    )
    event.advice_link = advice_request.get_link(key) if key else ""
    notify.queue_for_event(event)
    return event


@dataclass
class Link:
    """What a party's link leads to: the request, or why not (``reason``, plain Dutch;
    ``known`` when the link was right but no longer works)."""

    request: AdviceRequest | None
    reason: str = ""
    known: bool = False


def find_by_link(public_id, key: str) -> Link:
    """The request behind a party's link, or why it cannot be used.

    Refused: an unknown or wrong link (one message for both, so the page tells nothing
    about which requests exist), an expired link, a request answered or closed, and a
    dossier that is no longer being handled. The key is compared in constant time.
    """
    advice_request = (
        AdviceRequest.objects.select_related("dossier", "dossier__snapshot", "party")
        .filter(public_id=public_id)
        .first()
    )
    if advice_request is None or not advice_request.key_matches(str(key)):
        return Link(None, _("This link is not valid. Use the link from the most recent e-mail."))
    if advice_request.answered_at is not None:
        reason = _("This advice was already given. Thank you.")
    elif not advice_request.dossier.is_open:
        reason = _("This application is no longer being handled: no advice is needed.")
    elif advice_request.closed_at is not None:
        reason = _("The municipality no longer needs this advice.")
    elif advice_request.link_expired():
        reason = _("This link has expired. Ask the municipality for a new one.")
    else:
        return Link(advice_request)
    return Link(None, reason, known=True)


def answer(
    advice_request: AdviceRequest,
    *,
    verdict: str,
    conditions: str = "",
    files: Iterable = (),
) -> AdviceRequest:
    """Store the party's advice, in one transaction: the verdict, its conditions and
    files (checked uploads, stored with :meth:`Attachment.from_upload`), an internal
    ``advice_given`` event and the e-mail to the officer side. Refuses (Dutch message)
    a verdict that does not exist, conditions missing with "favourable with
    conditions", and a request that was answered, closed or whose dossier closed in
    the meantime."""
    conditions = (conditions or "").strip()
    if verdict not in Verdict.values:
        raise ActionRefused(_("Choose your advice."))
    if verdict == Verdict.CONDITIONAL and not conditions:
        raise ActionRefused(_("Write the conditions of your advice."))
    if len(conditions) > MAX_TEXT:
        raise ActionRefused(
            _("Keep the text shorter than %(count)d characters.") % {"count": MAX_TEXT}
        )
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=advice_request.dossier_id)
        locked = AdviceRequest.objects.select_for_update().get(pk=advice_request.pk)
        if locked.closed_at is not None or not dossier.is_open:
            raise ActionRefused(_("This advice can no longer be given."))
        now = timezone.now()
        locked.verdict = verdict
        locked.conditions = conditions
        locked.answered_at = locked.closed_at = now
        locked.save(update_fields=["verdict", "conditions", "answered_at", "closed_at"])
        for uploaded in files:
            Attachment.from_upload(
                uploaded, dossier=dossier, kind=AttachmentKind.ADVICE, advice_request=locked
            )
        event = Event.objects.create(
            dossier=dossier,
            type=EventType.ADVICE_GIVEN,
            data={
                "advice_request": locked.pk,
                "party": locked.party.name,
                "verdict": verdict,
                "conditions": conditions,
            },
        )
        notify.queue_for_event(event)
    return locked


def stop_waiting(dossier: Dossier, officer) -> int:
    """The officer goes on without the advice still awaited: the open requests close
    (their links stop working) and an internal event records it. Returns how many
    requests were closed; refuses when none is open."""
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if officer is not None and OFFICER not in permissions.roles_on(officer, locked):
            raise ActionRefused(_("You may not do this on this dossier."))
        waiting = list(
            locked.advice_requests.select_related("party").filter(closed_at__isnull=True)
        )
        if not waiting:
            raise ActionRefused(_("No advice is awaited on this dossier."))
        AdviceRequest.objects.filter(pk__in=[each.pk for each in waiting]).update(
            closed_at=timezone.now()
        )
        Event.objects.create(
            dossier=locked,
            type=EventType.ADVICE_NOT_AWAITED,
            actor=officer,
            data={"parties": [each.party.name for each in waiting]},
        )
    return len(waiting)


# --- reminders ------------------------------------------------------------------------


def due_for_reminder(today: datetime.date | None = None) -> list[AdviceRequest]:
    """Open requests of open dossiers that are due a reminder before or after their
    deadline (see :data:`REMIND_DAYS_BEFORE`, :data:`REMIND_DAYS_AFTER`)."""
    today = today or timezone.localdate()
    candidates = AdviceRequest.objects.filter(
        closed_at__isnull=True, dossier__status__in=OPEN_STATUSES
    ).select_related("dossier", "party")
    return [each for each in candidates if _reminder_due(each, today)]


def _reminder_due(advice_request: AdviceRequest, today: datetime.date) -> str:
    """ "before", "after" or "" for the reminder this request is due today."""
    if not advice_request.dossier.is_open:
        return ""
    days_left = (advice_request.deadline - today).days
    if (
        days_left < 0
        and -days_left >= REMIND_DAYS_AFTER
        and advice_request.reminded_after_at is None
    ):
        return "after"
    if 0 <= days_left <= REMIND_DAYS_BEFORE and advice_request.reminded_before_at is None:
        return "before"
    return ""


def send_reminder(request_id: int, today: datetime.date | None = None) -> bool:
    """Remind the party of one request, with a new link (the old one stops working).
    Safe twice: the request is locked and its reminder marked in the same transaction,
    so a second run finds nothing due. Returns whether a reminder was written."""
    today = today or timezone.localdate()
    with transaction.atomic():
        advice_request = AdviceRequest.objects.select_related("party").filter(pk=request_id).first()
        if advice_request is None:
            return False
        dossier = Dossier.objects.select_for_update().get(pk=advice_request.dossier_id)
        locked = (
            AdviceRequest.objects.select_for_update(of=("self",))
            .select_related("party")
            .get(pk=request_id)
        )
        locked.dossier = dossier
        which = "" if locked.closed_at else _reminder_due(locked, today)
        if not which:
            return False
        key = locked.new_key()
        # A link sent after the deadline stays valid as long as a link sent with it.
        locked.link_expires_at = max(locked.link_expires_at, _link_expiry(today))
        setattr(locked, f"reminded_{which}_at", timezone.now())
        locked.save(update_fields=["key_hash", "link_expires_at", f"reminded_{which}_at"])
        _record(dossier, EventType.ADVICE_REMINDER_SENT, locked, key, None, False, when=which)
    return True


def send_due_reminders(today: datetime.date | None = None) -> int:
    """Send every reminder that is due; returns how many were sent."""
    return sum(send_reminder(each.pk, today) for each in due_for_reminder(today))
