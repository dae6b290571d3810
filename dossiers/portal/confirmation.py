"""Proven e-mail addresses: a dossier joins an address's Mijn loket only with proof.

Anyone can type any address into a form. Mijn loket lists dossiers, and prefills the
applicant's next forms from them, by e-mail address, so a dossier counts for an
address only once its applicant proved they own it (``Dossier.email_verified_at``):

- they were signed in to Mijn loket with that address when they submitted
  (:func:`proves`: the submit handler reads the signed-in identity of the request), or
- they opened the confirmation link sent to that address after submitting, and pressed
  its button (:func:`confirm`).

The confirmation link works like a sign-in link (:mod:`dossiers.portal.tokens`): the
token is ``secrets.token_urlsafe(32)``, only its SHA-256 is stored
(:class:`~dossiers.models.EmailConfirmation`), it works once (one conditional UPDATE)
and for ``LOKET_EMAIL_CONFIRMATION_DAYS`` (14) days. Opening it (GET) only shows a
button, so mail scanners that fetch links do not use it up.

The e-mail is a kind of the outbox (:mod:`dossiers.portal.emails`), written with the
``submitted`` event in the submit's transaction. The token reaches the e-mail's text
through the event object in memory (:data:`LINK_ATTRIBUTE`), never through the event's
stored data; like the status link, it is then in the outbox row's text until that is
erased.

Until the proof, the status page keeps working through its secret link, as before.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.tokens import hash_token
from dossiers.constants import EventType
from dossiers.models import Dossier, EmailConfirmation, Event
from dossiers.outbox import notify
from dossiers.portal.identity import normalise_email

#: The kind of e-mail that carries the link (:mod:`dossiers.portal.emails`).
KIND_ID = "confirm_email_address"

#: The attribute of the ``submitted`` Event object (in memory only) that carries the
#: absolute confirmation link to the e-mail kind.
LINK_ATTRIBUTE = "email_confirmation_url"


def link_days() -> int:
    """How many days a confirmation link works."""
    return getattr(settings, "LOKET_EMAIL_CONFIRMATION_DAYS", 14)


def proven() -> Q:
    """The condition on dossiers whose e-mail address is proven."""
    return Q(email_verified_at__isnull=False)


def proves(proven_email: str, applicant_email: str) -> bool:
    """Whether ``proven_email`` (of the identity signed in when submitting, or "")
    proves ``applicant_email`` (the address in the answers)."""
    proven_email = normalise_email(proven_email)
    return bool(proven_email) and proven_email == normalise_email(applicant_email)


def ask_for_proof(event: Event) -> EmailConfirmation:
    """Create the confirmation link of ``event``'s dossier and hand it to the outbox
    through ``event`` (see :data:`LINK_ATTRIBUTE`). Call inside the submit's
    transaction, before :func:`dossiers.outbox.notify.queue_for_event`."""
    dossier = event.dossier
    token = secrets.token_urlsafe(32)
    row = EmailConfirmation.objects.create(
        dossier=dossier,
        email=normalise_email(dossier.applicant_email),
        token_hash=hash_token(token),
        expires_at=timezone.now() + datetime.timedelta(days=link_days()),
    )
    path = reverse("portal:confirm_email", kwargs={"token": token})
    setattr(event, LINK_ATTRIBUTE, settings.LOKET_BASE_URL.rstrip("/") + path)
    return row


def _valid(token: str):
    if not token or len(token) > 100:
        return None
    return EmailConfirmation.objects.filter(
        token_hash=hash_token(token), used_at__isnull=True, expires_at__gt=timezone.now()
    )


def usable(token: str) -> bool:
    """Whether ``token`` is an unused, unexpired confirmation link. Uses nothing up."""
    valid = _valid(token)
    return valid is not None and valid.exists()


def confirm(token: str) -> Dossier | None:
    """Use the confirmation link up and mark its dossier's address as proven; the
    dossier, or None when the link cannot be used (unknown, expired, used) or the
    dossier's address is no longer the one the link was sent to."""
    valid = _valid(token)
    if valid is None:
        return None
    now = timezone.now()
    if valid.update(used_at=now) != 1:
        return None
    row = EmailConfirmation.objects.select_related("dossier").get(token_hash=hash_token(token))
    dossier = row.dossier
    if normalise_email(dossier.applicant_email) != row.email:
        return None
    if dossier.email_verified_at is None:
        Dossier.objects.filter(pk=dossier.pk, email_verified_at__isnull=True).update(
            email_verified_at=now
        )
        dossier.email_verified_at = now
    return dossier


def delete_old_links(days: int = 1) -> int:
    """Delete confirmation links that expired more than ``days`` ago; how many."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted, _by_model = EmailConfirmation.objects.filter(expires_at__lt=cutoff).delete()
    return deleted


def ask_again(dossier: Dossier) -> bool:
    """E-mail a new confirmation link for ``dossier`` when its address is not proven:
    a dossier sent before addresses needed proof, or one whose link expired unused.

    One e-mail of the :data:`KIND_ID` kind through the outbox, attached to the
    dossier's ``submitted`` event (no new event: the applicant's timeline is unchanged).
    Returns False, and sends nothing, when there is nothing to ask: the address is
    proven, there is none (erased), or a usable link is still waiting. Running it twice
    therefore sends one link.
    """
    if dossier.email_verified_at is not None or not dossier.applicant_email:
        return False
    waiting = EmailConfirmation.objects.filter(
        dossier=dossier, used_at__isnull=True, expires_at__gt=timezone.now()
    )
    submitted = dossier.events.filter(type=EventType.SUBMITTED).order_by("pk").first()
    if submitted is None or waiting.exists():
        return False
    with transaction.atomic():
        ask_for_proof(submitted)
        notify.queue_for_event(submitted, only=[KIND_ID])
    return True
