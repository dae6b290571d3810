"""Everything found about a data subject as one ZIP: the data as JSON, and the files."""

from __future__ import annotations

import json
import logging
import zipfile
from typing import BinaryIO

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.text import get_valid_filename
from formtools.wizard.storage.base import BaseStorage

from core.storage import private_storage
from dossiers.constants import SearchKind
from dossiers.models import DeliveryRecord, Dossier, PostedLetter, Rating
from dossiers.portal import vouched
from dossiers.privacy.requests import Findings
from forms_builder.models import Draft
from forms_builder.schema import display_answers

logger = logging.getLogger(__name__)


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
            "letter_preferences": [
                {
                    "found_as": preference.found_as,
                    "enterprise_number": preference.enterprise_number,
                    "email": preference.email,
                    "channel": preference.channel,
                    "channel_label": preference.get_channel_display(),
                    "postal_address": preference.postal_address,
                    "given_at": preference.given_at,
                    "given_via": preference.given_via,
                    "given_by": preference.given_by,
                }
                for preference in findings.preferences
            ],
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
        # What the sign-in vouched for when it was sent (not what was typed).
        "signed_in": {
            "method": dossier.vouched_method,
            "national_register_number": vouched.unseal(dossier.vouched_national_id),
            "enterprise_number": dossier.vouched_enterprise,
            "level_of_assurance": dossier.vouched_assurance,
        },
        "decision": {
            "outcome": dossier.decision_outcome,
            "text": dossier.decision_text,
            "decided_at": dossier.decided_at,
        },
        # The person's own data, in full (a national register number too).
        "answers": display_answers(dossier.schema, dossier.answers, reveal_sensitive=True),
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
        "letters_by_post": [
            {
                "channel": letter.channel,
                "recipient": letter.recipient,
                "made_at": letter.created_at,
                "printed_at": letter.batch.created_at if letter.batch else None,
                "sent_at": letter.sent_at,
                "file": letter.attachment.original_name
                if letter.attachment_id
                else letter.notification.subject,
            }
            for letter in PostedLetter.objects.filter(dossier=dossier).select_related(
                "batch", "attachment", "notification"
            )
        ],
        "delivery_history": _delivery_history(dossier, addresses),
    }


def _delivery_history(dossier: Dossier, addresses: set[str]) -> list[dict]:
    """Every step the dossier's messages to this person took (sent, bounced, not
    confirmed, put on paper, printed and posted), oldest first. E-mails to someone else
    (a co-applicant) are left out, as in ``notifications``; posted letters are theirs."""
    records = DeliveryRecord.objects.filter(dossier=dossier).select_related(
        "notification", "letter__attachment"
    )
    history = []
    for record in records:
        note, letter = record.notification, record.letter
        if letter is None and note is not None and note.recipient.lower() not in addresses:
            continue
        history.append(
            {
                "at": record.at,
                "channel": record.channel,
                "result": record.result,
                "result_label": record.get_result_display(),
                "detail": record.detail,
                "message": note.subject if note is not None else None,
                "letter": letter.attachment.original_name
                if letter is not None and letter.attachment_id
                else None,
                "print_batch": record.batch_id,
            }
        )
    return history


def _draft_data(draft: Draft, archive) -> dict:
    storage = private_storage()
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
