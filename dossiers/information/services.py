"""Questions of the municipality to the applicant (status "waiting for the applicant").

An officer asks (:func:`ask`): a question, documents to upload and answers of the form
to correct. The applicant answers on a page behind the status-page link
(:func:`answer`): the answer is added to the dossier (corrected answers replace the
old ones, which stay visible to officers as "before"), the status goes back to "in
review", the decision term runs on and the officer side hears of it. An officer may
also close the question without an answer (:func:`close_without_answer`), e.g. when
the information came by phone. Without an answer after the form's
``information_reminder_days``, the applicant gets one reminder
(:func:`send_due_reminders`, daily through Celery beat).

Locks are always taken in the same order, the dossier row first and then the request,
so two of these use cases never wait for each other in a circle.

The e-mails are notification kinds of the outbox, in :mod:`.emails`: the question to
the applicant, the answer to the officer side and the reminder; the daily task is in
:mod:`.tasks`.

This module is longer than 400 lines because asking, answering (corrected answers and
documents), closing and reminding share the request's rules and its locking order;
split up, those rules would have to be read across files.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import workflow
from dossiers.constants import APPLICANT, EventType, Status
from dossiers.exceptions import ActionRefused
from dossiers.models import Attachment, AttachmentKind, Dossier, Event, InformationRequest
from dossiers.outbox import notify
from forms_builder.fields import get_field_type
from forms_builder.schema import mapped_values

logger = logging.getLogger(__name__)

__all__ = [
    "AlreadyClosed",
    "CorrectableField",
    "answer",
    "ask",
    "close_without_answer",
    "correctable_fields",
    "display_changes",
    "open_request",
    "requested_fields",
    "send_due_reminders",
]

#: The most documents one question may ask for.
MAX_DOCUMENTS = 10
#: The longest question and answer, in characters.
MAX_TEXT = 5000
#: Dossier attributes that follow the answers of fields marked "use the answer as".
MAPPED_ATTRIBUTES = {
    "applicant_name": 255,
    "applicant_email": 254,
    "applicant_phone": 50,
    "company_name": 255,
    "enterprise_number": 20,
}


class AlreadyClosed(ActionRefused):
    """The request was answered or closed already (e.g. a second click on "send")."""


# --- which answers may be corrected -----------------------------------------------------


@dataclass(frozen=True)
class CorrectableField:
    """A field of the dossier's frozen form that the officer may ask to correct."""

    step_id: str
    step_title: str
    #: The field definition of the frozen schema.
    field: dict

    @property
    def name(self) -> str:
        return self.field["name"]

    @property
    def label(self) -> str:
        return self.field["label"]

    @property
    def value(self) -> str:
        """How the choice is posted: ``<step id>:<field name>``."""
        return f"{self.step_id}:{self.name}"


def correctable_fields(dossier: Dossier) -> list[CorrectableField]:
    """The fields of the dossier's form an answer can correct, in form order.

    Only steps the applicant went through (skipped steps have no answers) and fields
    that take a typed answer: information texts take none, and files are asked for as
    documents instead (an upload field cannot be filled in again with its old files).
    """
    found = []
    for step in dossier.schema["steps"]:
        if step["id"] not in dossier.answers:
            continue
        for field in step["fields"]:
            field_type = get_field_type(field["type"])
            if field_type.has_input and not getattr(field_type, "takes_files", False):
                found.append(CorrectableField(step["id"], step["title"], field))
    return found


def requested_fields(information_request: InformationRequest) -> list[CorrectableField]:
    """The fields the request asks to correct, in the order of the form."""
    asked = {(item.get("step"), item.get("name")) for item in information_request.fields}
    return [
        each
        for each in correctable_fields(information_request.dossier)
        if (each.step_id, each.name) in asked
    ]


def display_changes(information_request: InformationRequest) -> list[dict]:
    """The changed answers as people read them: ``[{"step", "label", "before",
    "after"}]``, each value shown by its field type (as on the summaries)."""
    definitions = {
        (each.step_id, each.name): each for each in correctable_fields(information_request.dossier)
    }
    rows = []
    for change in information_request.changes:
        known = definitions.get((change.get("step"), change.get("name")))
        if known is None:
            before, after = change.get("before"), change.get("after")
            rows.append(
                {
                    "step": "",
                    "label": change.get("label", change.get("name", "")),
                    "before": "" if before is None else str(before),
                    "after": "" if after is None else str(after),
                }
            )
            continue
        field_type = get_field_type(known.field["type"])
        rows.append(
            {
                "step": known.step_title,
                "label": known.label,
                # Shown to officers of every role: sensitive answers masked.
                "before": field_type.shown(
                    change.get("before"), known.field, reveal_sensitive=False
                ),
                "after": field_type.shown(change.get("after"), known.field, reveal_sensitive=False),
            }
        )
    return rows


# --- asking ---------------------------------------------------------------------------


def open_request(dossier: Dossier) -> InformationRequest | None:
    """The question the applicant must answer now, or None.

    Only while the dossier waits for the applicant: a dossier that was withdrawn, or
    moved on by an officer through the plain status button, has nothing to answer.
    """
    if dossier.status != Status.INFO_REQUESTED:
        return None
    return dossier.information_requests.filter(closed_at__isnull=True).order_by("-pk").first()


def _clean_documents(documents: Iterable[Mapping[str, Any]]) -> list[dict]:
    cleaned = []
    for item in documents:
        label = " ".join(str(item.get("label") or "").split())[:255]
        if label:
            cleaned.append(
                {
                    "key": f"doc-{len(cleaned) + 1}",
                    "label": label,
                    "required": bool(item.get("required")),
                }
            )
    if len(cleaned) > MAX_DOCUMENTS:
        raise ActionRefused(
            _("Ask for at most %(count)d documents at once.") % {"count": MAX_DOCUMENTS}
        )
    return cleaned


def _clean_fields(dossier: Dossier, fields: Iterable[Mapping[str, str] | str]) -> list[dict]:
    allowed = {each.value: each for each in correctable_fields(dossier)}
    cleaned, seen = [], set()
    for item in fields:
        value = item if isinstance(item, str) else f"{item.get('step')}:{item.get('name')}"
        if value not in allowed:
            raise ActionRefused(_("This form has no such answer to correct."))
        if value not in seen:
            seen.add(value)
            cleaned.append({"step": allowed[value].step_id, "name": allowed[value].name})
    return cleaned


def ask(
    dossier: Dossier,
    officer,
    question: str,
    documents: Iterable[Mapping[str, Any]] = (),
    fields: Iterable[Mapping[str, str] | str] = (),
    *,
    expected_status: str | None = None,
    transition_name: str = "request_information",
) -> InformationRequest:
    """Ask the applicant a question, in one transaction.

    ``documents`` are ``{"label", "required"}`` (rows without a label are left out);
    ``fields`` are ``{"step", "name"}`` or ``"<step id>:<name>"`` of
    :func:`correctable_fields`. Runs the ``request_information`` transition (which
    checks the officer's role and the status, pauses the decision term and queues the
    e-mail with the question, see :class:`InformationRequested`) and stores the
    :class:`~dossiers.models.InformationRequest`. A question still open from before
    (left open by a plain status button) is closed first. Raises
    :class:`~dossiers.exceptions.ActionRefused` when it is not possible.
    ``transition_name`` is another transition that asks a question the same way
    (``declare_incomplete`` of the completeness check, :mod:`dossiers.completeness`).
    """
    question = (question or "").strip()
    if not question:
        raise ActionRefused(_("Write your question to the applicant."))
    if len(question) > MAX_TEXT:
        raise ActionRefused(
            _("Keep the question shorter than %(count)d characters.") % {"count": MAX_TEXT}
        )
    cleaned_documents = _clean_documents(documents)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        cleaned_fields = _clean_fields(locked, fields)
        now = timezone.now()
        locked.information_requests.filter(closed_at__isnull=True).update(closed_at=now)
        information_request = InformationRequest.objects.create(
            dossier=locked,
            question=question,
            documents=cleaned_documents,
            fields=cleaned_fields,
            asked_by=officer,
        )
        workflow.transition(
            locked,
            transition_name,
            actor=officer,
            expected_status=expected_status,
            data={"question": question, "information_request": information_request.pk},
        )
    return information_request


def close_without_answer(
    dossier: Dossier, officer, *, expected_status: str | None = None
) -> Dossier:
    """The officer received the information another way (phone, desk): close the open
    question without an answer and go back to "in review" (the term runs on)."""
    with transaction.atomic():
        Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
        dossier = workflow.transition(
            dossier, "receive_information", actor=officer, expected_status=expected_status
        )
        dossier.information_requests.filter(closed_at__isnull=True).update(closed_at=timezone.now())
    return dossier


# --- answering ------------------------------------------------------------------------


def _store_file(information_request: InformationRequest, key: str, uploaded) -> Attachment:
    return Attachment.from_upload(
        uploaded,
        dossier=information_request.dossier,
        information_request=information_request,
        kind=AttachmentKind.INFORMATION,
        field_name=key,
    )


def _apply_corrections(
    dossier: Dossier, information_request: InformationRequest, corrected: Mapping
) -> list[dict]:
    """Write the corrected answers into ``dossier.answers``; returns the changes."""
    asked = {(each.step_id, each.name): each for each in requested_fields(information_request)}
    unknown = set(corrected) - set(asked)
    if unknown:
        raise ActionRefused(_("Only the answers we asked for can be corrected."))
    answers = copy.deepcopy(dossier.answers)
    changes = []
    for key, known in asked.items():
        if key not in corrected:
            continue
        step_id, name = key
        before = answers.get(step_id, {}).get(name)
        after = corrected[key]
        if after == before:
            continue
        answers.setdefault(step_id, {})[name] = after
        changes.append(
            {"step": step_id, "name": name, "label": known.label, "before": before, "after": after}
        )
    if changes:
        dossier.answers = answers
        update_fields = ["answers", "updated_at"]
        mapped = mapped_values(dossier.schema, answers)
        for attribute, length in MAPPED_ATTRIBUTES.items():
            if attribute in mapped:
                setattr(dossier, attribute, str(mapped[attribute])[:length])
                update_fields.append(attribute)
        dossier.save(update_fields=update_fields)
    return changes


def answer(
    information_request: InformationRequest,
    text: str = "",
    files: Mapping[str, Iterable] | None = None,
    corrected_values: Mapping[tuple[str, str], Any] | None = None,
) -> InformationRequest:
    """The applicant's answer, in one transaction.

    ``files`` maps a requested document's key to the uploaded files (already checked
    by the upload field: type, size, real content); ``corrected_values`` maps
    ``(step id, field name)`` of an asked field to its new stored (JSON) value, as the
    field type's form field cleaned it. Checks what only the request knows (a text
    when nothing else was asked, every required document, only asked fields), stores
    the files as attachments of the request, writes the corrected answers (the old
    ones are kept in :attr:`InformationRequest.changes`), the public
    ``information_answered`` event with the officer side's e-mail, and runs
    ``receive_information``: back to "in review", the term runs on.

    A request that is closed already raises :class:`AlreadyClosed` and changes
    nothing, so a second click on "send" is harmless. Other refusals raise
    :class:`~dossiers.exceptions.ActionRefused`.
    """
    files = {key: [each for each in items if each] for key, items in (files or {}).items()}
    corrected_values = dict(corrected_values or {})
    text = (text or "").strip()
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=information_request.dossier_id)
        locked = InformationRequest.objects.select_for_update().get(pk=information_request.pk)
        locked.dossier = dossier
        if not locked.is_open:
            raise AlreadyClosed(_("We have already received an answer to this question."))
        if dossier.status != Status.INFO_REQUESTED:
            raise AlreadyClosed(_("This question is no longer open."))
        if len(text) > MAX_TEXT:
            raise ActionRefused(
                _("Keep your answer shorter than %(count)d characters.") % {"count": MAX_TEXT}
            )
        document_keys = {document["key"] for document in locked.documents}
        if set(files) - document_keys:
            raise ActionRefused(_("Send only the documents we asked for."))
        for document in locked.documents:
            if document.get("required") and not files.get(document["key"]):
                raise ActionRefused(
                    _('Add the document "%(label)s".') % {"label": document["label"]}
                )
        if not text and not locked.documents and not locked.fields:
            raise ActionRefused(_("Write your answer."))

        stored = [
            _store_file(locked, document["key"], uploaded)
            for document in locked.documents
            for uploaded in files.get(document["key"], [])
        ]
        now = timezone.now()
        locked.answer_text = text
        locked.changes = _apply_corrections(dossier, locked, corrected_values)
        locked.answered_at = locked.closed_at = now
        locked.save(update_fields=["answer_text", "changes", "answered_at", "closed_at"])
        event = Event.objects.create(
            dossier=dossier,
            type=EventType.INFORMATION_ANSWERED,
            public=True,
            data={
                "information_request": locked.pk,
                "files": len(stored),
                "changed": [change["label"] for change in locked.changes],
            },
        )
        notify.queue_for_event(event)
        workflow.transition(dossier, "receive_information", actor_kind=APPLICANT)
    return locked


# --- reminders ------------------------------------------------------------------------


def _is_due(information_request: InformationRequest, now) -> bool:
    dossier = information_request.dossier
    days = dossier.form_page.information_reminder_days if dossier.form_page_id else 0
    return (
        information_request.closed_at is None
        and information_request.reminder_sent_at is None
        and dossier.status == Status.INFO_REQUESTED
        and days > 0
        and information_request.asked_at <= now - timedelta(days=days)
    )


def due_for_reminder(now=None) -> list[InformationRequest]:
    """Open questions without a reminder yet, asked at least the form's
    ``information_reminder_days`` ago (0: that form sends none)."""
    now = now or timezone.now()
    candidates = InformationRequest.objects.filter(
        closed_at__isnull=True,
        reminder_sent_at__isnull=True,
        dossier__status=Status.INFO_REQUESTED,
        dossier__form_page__information_reminder_days__gt=0,
    ).select_related("dossier__form_page")
    return [each for each in candidates if _is_due(each, now)]


def send_reminder(request_id: int, now=None) -> bool:
    """Queue the reminder of one question, unless it is no longer due. Returns True
    when it queued one. The rows are locked, so running it twice sends one reminder."""
    now = now or timezone.now()
    dossier_id = (
        InformationRequest.objects.filter(pk=request_id)
        .values_list("dossier_id", flat=True)
        .first()
    )
    if dossier_id is None:
        return False
    with transaction.atomic():
        Dossier.objects.select_for_update().filter(pk=dossier_id).first()
        locked = InformationRequest.objects.select_for_update().get(pk=request_id)
        if not _is_due(locked, now):
            return False
        locked.reminder_sent_at = now
        locked.save(update_fields=["reminder_sent_at"])
        event = Event.objects.create(
            dossier=locked.dossier,
            type=EventType.REMINDER_SENT,
            public=False,
            data={"information_request": locked.pk},
        )
        notify.queue_for_event(event)
    return True


def send_due_reminders(now=None) -> int:
    """Queue a reminder for every question that is due one; returns how many."""
    return sum(send_reminder(each.pk, now) for each in due_for_reminder(now))
