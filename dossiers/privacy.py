"""Privacy (GDPR): erasing personal data, and the requests of data subjects.

- **Retention.** Each form says how many months the personal data of its closed
  dossiers are kept (``ApplicationFormPage.retention_months``; 0 keeps them). The
  periodic task ``dossiers.tasks.erase_expired_personal_data`` calls
  :func:`erase_expired_personal_data`, which erases them with
  :func:`erase_personal_data`, one dossier per transaction.
- **Requests.** An administrator finds everything held about an e-mail address or an
  enterprise number (:func:`find`), downloads it as a ZIP (:func:`write_export`), or
  erases it at once (:func:`erase_on_request`). Every export and erasure is written
  down as a :class:`~dossiers.models.PrivacyRequest` with a keyed hash of the term,
  never the term itself.

Erasure keeps what statistics need and nothing that says who applied: the reference,
form, dates, status history (event types and statuses), the decision outcome, the
rating's score and the officers involved. See docs/PRIVACY.md.
"""

from __future__ import annotations

import calendar
import datetime
import json
import logging
import re
import time
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Replace, Upper
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from formtools.wizard.storage.base import BaseStorage

from forms_builder import drafts as form_drafts
from forms_builder.models import ApplicationFormPage, Draft
from forms_builder.schema import display_answers

from .constants import SYSTEM, EventType, NotificationStatus, PrivacyRequestKind, SearchKind
from .exceptions import ActionRefused
from .models import (
    Dossier,
    Event,
    InformationRequest,
    Message,
    Notification,
    PrivacyRequest,
    Rating,
    SignInToken,
)

logger = logging.getLogger(__name__)

#: Why personal data were erased (stored on the "personal data erased" event).
RETENTION = "retention"
REQUEST = "request"

#: Keys of ``Event.data`` that never hold personal text: ids, names of transitions and
#: kinds, counts, the rating's score, the officers involved. Erasure removes every
#: other key (a question, a decision text, a note, a file name, a withdrawal reason),
#: so a key added later is erased unless it is named here.
KEPT_EVENT_KEYS = frozenset(
    {
        "transition",
        "kind",
        "notification",
        "attachment",
        "message",
        "information_request",
        "sender",
        "files",
        "score",
        "assignee",
        "assignee_name",
        "previous",
        "previous_name",
        "cause",
        "retention_months",
    }
)

#: The dossier's own fields that hold personal data; erasure empties them.
PERSONAL_FIELDS = (
    "answers",
    "applicant_name",
    "applicant_email",
    "applicant_phone",
    "company_name",
    "enterprise_number",
    "decision_text",
)

#: Dossiers erased per query of the retention task.
BATCH_SIZE = 500


def default_retention_months() -> int:
    """The retention of a dossier whose form was deleted: the form setting's default."""
    return ApplicationFormPage._meta.get_field("retention_months").default


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """``moment`` minus whole calendar months (31 March minus one month: 28/29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


# --- retention -------------------------------------------------------------------------


def expired_dossiers(now: datetime.datetime | None = None) -> QuerySet[Dossier]:
    """Dossiers whose personal data are due for erasure by their form's retention.

    Closed (a final status, ``closed_at`` set) longer ago than the form's
    ``retention_months`` (0: never), and not erased since they were last closed: a
    dossier reopened and closed again after an erasure is due once more.
    """
    from .workflow import FINAL_STATUSES

    now = now or timezone.now()
    due = Q()
    retentions = ApplicationFormPage.objects.order_by().values_list("retention_months", flat=True)
    for months in set(retentions.distinct()):
        if months > 0:
            due |= Q(form_page__retention_months=months, closed_at__lt=months_before(now, months))
    if default_retention_months() > 0:
        cutoff = months_before(now, default_retention_months())
        due |= Q(form_page__isnull=True, closed_at__lt=cutoff)
    if not due:
        return Dossier.objects.none()
    return Dossier.objects.filter(
        due,
        Q(personal_data_erased_at__isnull=True) | Q(personal_data_erased_at__lt=F("closed_at")),
        status__in=FINAL_STATUSES,
        closed_at__isnull=False,
    )


def erase_expired_personal_data(
    batch_size: int = BATCH_SIZE, max_seconds: float = 900, now=None
) -> int:
    """Erase the personal data of every dossier past its form's retention.

    Works in batches of ``batch_size`` dossiers, each dossier in its own transaction,
    until none is left or ``max_seconds`` have passed (the next run goes on). A dossier
    that fails is logged (reference and error type only) and left for the next run.
    Returns how many dossiers were erased.
    """
    started = time.monotonic()
    erased, failed = 0, set()
    while True:
        ids = list(
            expired_dossiers(now)
            .exclude(pk__in=failed)
            .order_by("closed_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        for dossier_id in ids:
            try:
                if erase_personal_data(dossier_id, cause=RETENTION, only_if_expired=True):
                    erased += 1
            except Exception as exc:  # noqa: BLE001 - one dossier must not stop the rest
                failed.add(dossier_id)
                logger.error(
                    "Personal data of dossier id %s not erased: %s", dossier_id, type(exc).__name__
                )
        if len(ids) < batch_size or time.monotonic() - started > max_seconds:
            return erased


# --- erasure ---------------------------------------------------------------------------


def erase_personal_data(
    dossier_id: int, *, cause: str, actor=None, only_if_expired: bool = False
) -> bool:
    """Erase the personal data of one dossier, in one transaction; True when it did.

    Erased: the answers (``{}``; the frozen form still says which questions there
    were), the applicant's name, e-mail address and phone, the company name and
    enterprise number, the decision text, every file (from the storage too), the texts
    of messages, of information requests and their answers, the rating's comment, the
    e-mails' recipients and texts (a pending one is not sent any more), every personal
    key of the events' data (see :data:`KEPT_EVENT_KEYS`), the sign-in links of the
    applicant's address and the draft the dossier was submitted from. Kept: see the
    module's docstring. An internal "personal data erased" event records it.

    Safe to run twice: a dossier erased since it was last closed is erased again, which
    changes nothing but the date. With ``only_if_expired`` (the retention task) the
    dossier is erased only if it is still due, checked under the row's lock, so a
    dossier reopened meanwhile is left alone. Files are deleted last, inside the
    transaction: if it fails, the dossier is not marked erased and the next run
    finishes the work (deleting a file that is gone already is fine).
    """
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update(of=("self",)).filter(pk=dossier_id).first()
        if dossier is None:
            return False
        if only_if_expired and not expired_dossiers().filter(pk=dossier_id).exists():
            return False
        email = dossier.applicant_email
        files = [(each.file.storage, each.file.name) for each in dossier.attachments.all()]
        now = timezone.now()

        for name in PERSONAL_FIELDS:
            setattr(dossier, name, {} if name == "answers" else "")
        dossier.personal_data_erased_at = now
        dossier.save(update_fields=[*PERSONAL_FIELDS, "personal_data_erased_at", "updated_at"])

        Message.objects.filter(dossier=dossier).update(body="")
        InformationRequest.objects.filter(dossier=dossier).update(
            question="", answer_text="", changes=[]
        )
        Rating.objects.filter(dossier=dossier).update(comment="")
        outbox = Notification.objects.filter(dossier=dossier)
        outbox.filter(status=NotificationStatus.PENDING).update(status=NotificationStatus.FAILED)
        outbox.update(recipient="", subject="", body="", last_error="")
        _erase_event_data(dossier)
        if email:
            SignInToken.objects.filter(email__iexact=email).delete()
        for draft in Draft.objects.filter(submitted_dossier_id=dossier.pk):
            form_drafts.delete_draft(draft)
        dossier.attachments.all().delete()
        data = {"cause": cause}
        if cause == RETENTION:
            data["retention_months"] = (
                dossier.form_page.retention_months
                if dossier.form_page_id
                else default_retention_months()
            )
        Event.objects.create(
            dossier=dossier, type=EventType.PERSONAL_DATA_ERASED, actor=actor, data=data
        )
        for storage, name in files:
            storage.delete(name)
    logger.info("Personal data of dossier %s erased (%s)", dossier.reference, cause)
    return True


def _erase_event_data(dossier: Dossier) -> None:
    changed = []
    for event in dossier.events.all():
        kept = {key: value for key, value in event.data.items() if key in KEPT_EVENT_KEYS}
        if kept != event.data:
            event.data = kept
            changed.append(event)
    Event.objects.bulk_update(changed, ["data"], batch_size=200)


# --- requests of data subjects -----------------------------------------------------------


@dataclass(frozen=True)
class SearchTerm:
    """What a privacy request looks for: an e-mail address (lower case) or an
    enterprise number (10 digits)."""

    kind: str
    value: str

    @property
    def variants(self) -> list[str]:
        """The ways the term may be written in answers and drafts."""
        if self.kind == SearchKind.EMAIL:
            return [self.value]
        number = self.value
        return [
            number,
            f"{number[:4]}.{number[4:7]}.{number[7:]}",
            f"{number[:4]} {number[4:7]} {number[7:]}",
        ]


def parse_search_term(text: str) -> SearchTerm:
    """An e-mail address (has an @) or an enterprise number: digits only, 10 digits (an
    old number of 9 digits gets its leading 0). Raises ValidationError otherwise."""
    text = (text or "").strip()
    if "@" in text:
        validate_email(text)
        return SearchTerm(SearchKind.EMAIL, text.lower())
    digits = re.sub(r"\D", "", text)
    if len(digits) == 9:
        digits = "0" + digits
    if len(digits) != 10:
        raise ValidationError(
            _("Enter an e-mail address or an enterprise number of 10 digits."), code="invalid"
        )
    return SearchTerm(SearchKind.ENTERPRISE_NUMBER, digits)


def hash_search_term(term: SearchTerm) -> str:
    """A keyed hash of the term (HMAC-SHA256 with the SECRET_KEY): the audit record
    can tell two requests about one person apart from others without holding the term."""
    return salted_hmac(
        "dossiers.privacy.search_term", f"{term.kind}:{term.value}", algorithm="sha256"
    ).hexdigest()


def _compact_enterprise_number(expression):
    """A database expression: the enterprise number without dots, spaces, dashes or BE."""
    for character in (".", " ", "-", "BE"):
        expression = Replace(expression, Value(character), Value(""))
    return expression


@dataclass
class Findings:
    """What is held about one search term."""

    term: SearchTerm
    #: The dossiers, newest first; each has ``found_as``: "applicant", "company" or
    #: "answers" (only mentioned in the answers).
    dossiers: list[Dossier] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)

    @property
    def open_dossiers(self) -> list[Dossier]:
        return [dossier for dossier in self.dossiers if dossier.is_open]


def find(term: SearchTerm) -> Findings:
    """Every dossier and draft that holds the term: as the applicant's e-mail address
    or the company's enterprise number, or anywhere in the answers or a draft's data.

    Searching the answers reads every row's JSON as text; a request is rare, so no
    index is kept for it.
    """
    answers = Cast("answers", TextField())
    draft_data = Cast("data", TextField())
    in_answers, in_draft = Q(), Q()
    for variant in term.variants:
        in_answers |= Q(answers_text__icontains=variant)
        in_draft |= Q(data_text__icontains=variant)
    if term.kind == SearchKind.EMAIL:
        own = Q(applicant_email__iexact=term.value)
        dossiers = Dossier.objects.annotate(answers_text=answers).filter(own | in_answers)
        draft_filter = Q(email__iexact=term.value) | in_draft
    else:
        numbers = [term.value] + ([term.value[1:]] if term.value.startswith("0") else [])
        own = Q(compact_number__in=numbers)
        dossiers = Dossier.objects.annotate(
            answers_text=answers,
            compact_number=_compact_enterprise_number(Upper("enterprise_number")),
        ).filter(own | in_answers)
        draft_filter = in_draft
    findings = Findings(term=term)
    for dossier in dossiers.select_related("snapshot", "form_page").order_by("-submitted_at"):
        dossier.found_as = _found_as(dossier, term)
        findings.dossiers.append(dossier)
    findings.drafts = list(
        Draft.objects.annotate(data_text=draft_data)
        .filter(draft_filter)
        .select_related("page", "snapshot")
        .order_by("-updated_at")
    )
    return findings


def _found_as(dossier: Dossier, term: SearchTerm) -> str:
    if term.kind == SearchKind.EMAIL:
        return "applicant" if dossier.applicant_email.lower() == term.value else "answers"
    compact = re.sub(r"\D", "", dossier.enterprise_number)
    return "company" if len(compact) >= 9 and term.value.endswith(compact) else "answers"


def record_request(
    kind: str, findings: Findings, *, actor, dossiers: int, drafts: int, withdrawn=0, reason=""
) -> PrivacyRequest:
    """Write the audit record of an export or erasure."""
    return PrivacyRequest.objects.create(
        kind=kind,
        search_kind=findings.term.kind,
        search_hash=hash_search_term(findings.term),
        requested_by=actor,
        requested_by_name=(actor.get_full_name() or actor.get_username()) if actor else "",
        dossier_count=dossiers,
        draft_count=drafts,
        withdrawn_count=withdrawn,
        reason=reason,
    )


def earlier_requests(term: SearchTerm) -> QuerySet[PrivacyRequest]:
    """The audit records of earlier exports and erasures about the same term."""
    return PrivacyRequest.objects.filter(
        search_kind=term.kind, search_hash=hash_search_term(term)
    ).select_related("requested_by")


def erase_on_request(
    findings: Findings, *, actor, reason: str, withdraw_open: bool = False
) -> PrivacyRequest:
    """Erase everything found, now, as the data subject asked (with a reason).

    Refused (:class:`ActionRefused`) when open dossiers were found, unless
    ``withdraw_open``: then each is withdrawn (by the system, in the same transaction
    as its erasure, so the e-mail about the withdrawal is never sent) and erased.
    Drafts are deleted with their files. The audit record is written also when an
    erasure fails halfway, with what was done; the error is raised after it.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Give the reason for the erasure."))
    if findings.open_dossiers and not withdraw_open:
        raise ActionRefused(
            _("Some dossiers are still being handled. Tick that they may be withdrawn first.")
        )
    erased = withdrawn = drafts = 0
    try:
        # Drafts first: erasing a dossier deletes the draft it was submitted from.
        for draft in findings.drafts:
            form_drafts.delete_draft(draft)
            drafts += 1
        for dossier in findings.dossiers:
            with transaction.atomic():
                withdrawn += _withdraw_if_open(dossier, allowed=withdraw_open)
                erased += erase_personal_data(dossier.pk, cause=REQUEST, actor=actor)
        if findings.term.kind == SearchKind.EMAIL:
            SignInToken.objects.filter(email__iexact=findings.term.value).delete()
    finally:
        record = record_request(
            PrivacyRequestKind.ERASURE,
            findings,
            actor=actor,
            dossiers=erased,
            drafts=drafts,
            withdrawn=withdrawn,
            reason=reason,
        )
    return record


def _withdraw_if_open(dossier: Dossier, *, allowed: bool) -> int:
    """Withdraw the dossier if it is (still) open; 1 when it did. Inside the caller's
    transaction: the row is locked, so its status cannot change before the erasure."""
    from . import workflow

    locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    if not locked.is_open:
        return 0
    if not allowed:
        raise ActionRefused(
            _("Dossier %(reference)s is being handled again.") % {"reference": locked.reference}
        )
    workflow.transition(locked, "withdraw", actor_kind=SYSTEM, data={"cause": REQUEST})
    return 1


# --- the export ------------------------------------------------------------------------


def write_export(findings: Findings, out: BinaryIO) -> None:
    """Write everything found as a ZIP to ``out``: ``gegevens.json`` (the data) and the
    files under ``bestanden/<reference>/`` and ``onafgewerkt/<draft id>/``."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        data = {
            "exported_at": timezone.now(),
            "searched_for": {"kind": findings.term.kind, "value": findings.term.value},
            "dossiers": [
                _dossier_data(dossier, findings, archive) for dossier in findings.dossiers
            ],
            "drafts": [_draft_data(draft, archive) for draft in findings.drafts],
        }
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        archive.writestr("gegevens.json", text)


def _zip_name(*parts: str) -> str:
    return "/".join(get_valid_filename(part)[-150:] or "bestand" for part in parts)


def _add_file(archive: zipfile.ZipFile, storage, name: str, target: str) -> str | None:
    """Copy one stored file into the archive; None when it is missing."""
    try:
        with storage.open(name, "rb") as source, archive.open(target, "w") as sink:
            while chunk := source.read(1024 * 1024):
                sink.write(chunk)
    except OSError:
        logger.warning("A file of a privacy export is missing from the storage")
        return None
    return target


def _dossier_data(dossier: Dossier, findings: Findings, archive) -> dict:
    addresses = {findings.term.value} if findings.term.kind == SearchKind.EMAIL else set()
    if dossier.applicant_email:
        addresses.add(dossier.applicant_email.lower())
    files = []
    for attachment in dossier.attachments.all():
        target = _zip_name(
            "bestanden", dossier.reference, f"{attachment.pk}-{attachment.original_name}"
        )
        files.append(
            {
                "id": attachment.pk,
                "name": attachment.original_name,
                "kind": attachment.kind,
                "size": attachment.size,
                "content_type": attachment.content_type,
                "uploaded_at": attachment.created_at,
                "message": attachment.message_id,
                "information_request": attachment.information_request_id,
                "in_archive": _add_file(
                    archive, attachment.file.storage, attachment.file.name, target
                ),
            }
        )
    rating = Rating.objects.filter(dossier=dossier).first()
    return {
        "reference": dossier.reference,
        "found_as": dossier.found_as,
        "form": dossier.form_title,
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "language": dossier.language,
        "submitted_at": dossier.submitted_at,
        "decision_due": dossier.decision_due,
        "closed_at": dossier.closed_at,
        "personal_data_erased_at": dossier.personal_data_erased_at,
        "applicant": {
            "name": dossier.applicant_name,
            "email": dossier.applicant_email,
            "phone": dossier.applicant_phone,
        },
        "company": {"name": dossier.company_name, "enterprise_number": dossier.enterprise_number},
        "decision": {
            "outcome": dossier.decision_outcome,
            "text": dossier.decision_text,
            "decided_at": dossier.decided_at,
        },
        "answers": display_answers(dossier.schema, dossier.answers),
        "answers_raw": dossier.answers,
        "events": [
            {
                "at": event.created_at,
                "type": event.type,
                "label": event.get_type_display(),
                "status": event.to_status,
                "text": {
                    k: v for k, v in event.data.items() if k in ("question", "decision", "reason")
                },
            }
            for event in dossier.events.filter(public=True)
        ],
        "messages": [
            {"at": message.created_at, "from": message.sender, "text": message.body}
            for message in dossier.messages.all()
        ],
        "information_requests": [
            {
                "asked_at": request.asked_at,
                "question": request.question,
                "documents": request.documents,
                "answer": request.answer_text,
                "changes": request.changes,
                "answered_at": request.answered_at,
            }
            for request in dossier.information_requests.all()
        ],
        "rating": {"score": rating.score, "comment": rating.comment, "at": rating.created_at}
        if rating
        else None,
        "notifications": [
            {
                "at": notification.created_at,
                "to": notification.recipient,
                "subject": notification.subject,
                "text": notification.body,
                "status": notification.status,
                "sent_at": notification.sent_at,
            }
            for notification in dossier.notifications.all()
            if notification.recipient.lower() in addresses
        ],
        "files": files,
    }


def _draft_data(draft: Draft, archive) -> dict:
    storage = form_drafts.private_storage()
    files = []
    step_files = (draft.data or {}).get(BaseStorage.step_files_key, {})
    for step, fields in step_files.items():
        for field_name, infos in fields.items():
            for info in infos if isinstance(infos, list) else [infos]:
                target = _zip_name("onafgewerkt", str(draft.pk), f"{step}-{info.get('name', '')}")
                files.append(
                    {
                        "step": step,
                        "field": field_name,
                        "name": info.get("name", ""),
                        "size": info.get("size"),
                        "in_archive": _add_file(archive, storage, info["tmp_name"], target),
                    }
                )
    return {
        "id": str(draft.pk),
        "form": draft.page.title,
        "email": draft.email,
        "created_at": draft.created_at,
        "updated_at": draft.updated_at,
        "expires_at": draft.expires_at,
        "submitted_dossier": draft.submitted_dossier_id,
        "answers": (draft.data or {}).get(BaseStorage.step_data_key, {}),
        "files": files,
    }
