"""Recording and reading how a company or person wants our letters.

A choice is a new :class:`~dossiers.models.ContactPreference` row (never an update), so
the rows say where and when each choice was given. :func:`preference_for_dossier` is
what the letters ask: the enterprise's choice when the dossier names an enterprise that
made one, else the choice of the applicant's e-mail address; None means e-mail, as
before.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from dossiers.models import ContactPreference, Dossier, LetterChannel

from . import ebox

logger = logging.getLogger(__name__)


def available_channels(*, for_enterprise: bool) -> list[tuple[str, str]]:
    """The channels to offer: the eBox only to an enterprise and when an adapter is
    configured (``LOKET_EBOX_ADAPTER``)."""
    return [
        (value, label)
        for value, label in LetterChannel.choices
        if value != LetterChannel.EBOX or (for_enterprise and ebox.is_configured())
    ]


@transaction.atomic
def record_preference(
    *,
    channel: str,
    enterprise_number: str = "",
    email: str = "",
    postal_address: str = "",
    given_via: str,
    given_by: str = "",
) -> ContactPreference:
    """Record a choice for ``enterprise_number`` (or, without it, ``email``).

    Raises ValueError for a channel that cannot be chosen there, or paper without an
    address."""
    if channel not in dict(available_channels(for_enterprise=bool(enterprise_number))):
        raise ValueError(f"channel {channel!r} cannot be chosen here")
    if channel == LetterChannel.PAPER and not postal_address.strip():
        raise ValueError("paper needs a postal address")
    if not enterprise_number and not email:
        raise ValueError("a preference is for an enterprise or an e-mail address")
    choice = ContactPreference.objects.create(
        enterprise_number=enterprise_number,
        email="" if enterprise_number else email.lower(),
        channel=channel,
        postal_address=postal_address.strip() if channel == LetterChannel.PAPER else "",
        given_via=given_via,
        given_by=given_by,
    )
    # The row itself is the record (what, when, where, by whom); the log says it happened.
    logger.info(
        "Contact preference %s recorded: %s for %s via %s",
        choice.pk,
        channel,
        "an enterprise" if enterprise_number else "a person",
        given_via,
    )
    return choice


def confirmation_text(choice: ContactPreference) -> str:
    """What the person reads after choosing: the channel, and for paper the address."""
    if choice.channel == LetterChannel.PAPER:
        return _(
            "Your choice is saved. From now on we post our letters on paper to: %(address)s."
        ) % {
            "address": ", ".join(
                line.strip() for line in choice.postal_address.splitlines() if line.strip()
            )
        }
    if choice.channel == LetterChannel.EBOX:
        return _("Your choice is saved. From now on our letters go to your company's eBox.")
    return _("Your choice is saved. From now on we send our letters by e-mail to %(email)s.") % {
        "email": choice.email or _("the address you gave")
    }


def current_preference(*, enterprise_number: str = "", email: str = "") -> ContactPreference | None:
    """The newest choice for the enterprise, else for the e-mail address."""
    if enterprise_number:
        found = ContactPreference.objects.filter(enterprise_number=enterprise_number).first()
        if found is not None:
            return found
    if email:
        return ContactPreference.objects.filter(enterprise_number="", email=email.lower()).first()
    return None


def preference_for_dossier(dossier: Dossier) -> ContactPreference | None:
    return current_preference(
        enterprise_number=dossier.enterprise_number, email=dossier.applicant_email
    )
