"""Sending an approved proactive invitation, once.

The invitation goes as a notification in the outbox of the dossier it is about (an
e-mail to the applicant, with the outbox's retries and sweep) and shows on the
company's page in Mijn loket. Without a dossier or an e-mail address the company sees
it in Mijn loket only. Invitations are not letters with legal effect: a company that
chose paper or the eBox for letters still gets the invitation by e-mail when an address
is known (the print batches hold decision letters only).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from wagtail.models import Site

from dossiers.constants import EventType
from dossiers.models import Event, InvitationChannel, InvitationStatus, ProactiveInvitation
from dossiers.outbox.kinds import TextError, fill_in
from dossiers.outbox.notify import queue_for_event

from .emails import ProactiveInvited

logger = logging.getLogger(__name__)

#: The placeholders of a rule's message, with the example the admin checks it with.
PLACEHOLDERS = {
    "bedrijfsnaam": "Café De Markt",
    "reden": "Terrasvergunning van dossier TER-2026-00042 eindigt op 31-12-2026.",
    "einddatum": "31-12-2026",
    "link": "https://loket.voorbeeld.be/terras/",
}


def check_text(text: str) -> None:
    """Raise :class:`~dossiers.outbox.kinds.TextError` for a message or subject the
    invitation cannot be filled in with."""
    fill_in(text, PLACEHOLDERS)


def _values(invitation: ProactiveInvitation) -> dict[str, str]:
    return {
        "bedrijfsnaam": invitation.company_name,
        "reden": invitation.reason,
        "einddatum": (
            formats.date_format(invitation.ends_on, "SHORT_DATE_FORMAT")
            if invitation.ends_on
            else ""
        ),
        "link": invitation.link,
    }


def invitation_text(invitation: ProactiveInvitation, language: str) -> tuple[str, str]:
    """The subject and message of ``invitation`` in ``language``, filled in."""
    subject, message = invitation.rule.text(language)
    values = _values(invitation)
    try:
        return fill_in(subject, values), fill_in(message, values)
    except TextError:
        # Checked when the rule was saved; a stray brace since then sends the text as is.
        logger.warning("Proactive rule %s cannot be filled in", invitation.rule_id)
        return subject, message


def send_invitation(invitation_id: int) -> bool:
    """Send one approved invitation; safe twice (the row is locked and only an approved
    invitation moves to sent). Returns whether it was sent now."""
    with transaction.atomic():
        invitation = (
            ProactiveInvitation.objects.select_for_update()
            .filter(pk=invitation_id, status=InvitationStatus.APPROVED)
            .first()
        )
        if invitation is None:
            return False
        dossier = invitation.dossier
        channel = InvitationChannel.PORTAL
        if dossier is not None and dossier.applicant_email:
            subject, message = invitation_text(
                invitation, dossier.language or settings.LANGUAGE_CODE
            )
            event = Event.objects.create(
                dossier=dossier,
                type=EventType.PROACTIVE_INVITATION,
                actor=invitation.decided_by,
                public=True,
                data={
                    "invitation": invitation.pk,
                    "subject": subject,
                    "text": message,
                    "link": invitation.link,
                },
            )
            if queue_for_event(event, only=[ProactiveInvited.kind_id]):
                channel = InvitationChannel.EMAIL
        invitation.status = InvitationStatus.SENT
        invitation.channel = channel
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["status", "channel", "sent_at"])
    return True


def invitations_for_company(enterprise_number: str, site: Site | None = None) -> list:
    """The sent invitations of the enterprise, newest first (Mijn loket)."""
    sent = ProactiveInvitation.objects.filter(
        enterprise_number=enterprise_number, status=InvitationStatus.SENT
    ).select_related("rule")
    if site is not None:
        sent = sent.filter(site=site)
    result = []
    for invitation in sent.order_by("-sent_at", "-pk"):
        invitation.subject_text, invitation.message_text = invitation_text(
            invitation, translation.get_language() or settings.LANGUAGE_CODE
        )
        result.append(invitation)
    return result


def send_approved() -> int:
    """Send every approved invitation still waiting (its queued task was lost with the
    broker, or failed). Returns how many were sent."""
    waiting = ProactiveInvitation.objects.filter(status=InvitationStatus.APPROVED)
    return sum(send_invitation(pk) for pk in waiting.values_list("pk", flat=True))
