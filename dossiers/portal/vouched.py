"""The identity a sign-in vouched for, as a dossier keeps it (issue #23).

A form's answers are what someone typed; anyone can type anyone's national register
number or enterprise number. What a sign-in method *verified* (the government login:
the person's national register number, the enterprise they act for, the level of
assurance) is kept on the dossier when it is submitted, apart from the answers, and it
is the only thing Mijn loket and the Flemish portals' ongoing affairs go by.

How it is kept (docs/PRIVACY.md, "The identity a sign-in vouched for"):

- the national register number never in the clear: a keyed hash
  (:func:`person_key`, HMAC-SHA256 keyed with the ``SECRET_KEY``) to find a person's
  dossiers, and the number itself encrypted (:func:`seal`, Fernet with a key derived
  from the ``SECRET_KEY``) because the portals name the owner of an affair by it;
- the enterprise number (KBO, 10 digits) and the sign-in method as they are: an
  enterprise's number is public;
- the level of assurance (:class:`~dossiers.models.portal.Assurance`).

Erasing a dossier's personal data empties all of it but the level.
"""

from __future__ import annotations

import base64
import logging

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from dossiers.portal.identity import ApplicantIdentity, current_identity

logger = logging.getLogger(__name__)

_KEY_SALT = "dossiers.portal.vouched.person"
_SEAL_SALT = "dossiers.portal.vouched.seal"


def person_key(national_id: str) -> str:
    """The pseudonym of a national register number: the same number always gives the
    same 64 hex characters; without the ``SECRET_KEY`` it cannot be reversed or
    recomputed. "" for no number."""
    digits = "".join(ch for ch in str(national_id or "") if ch.isdigit())
    if not digits:
        return ""
    return salted_hmac(_KEY_SALT, digits, secret=_secret(), algorithm="sha256").hexdigest()


def _secret() -> str | None:
    """``LOKET_IDENTITY_KEY`` when set (so that rotating ``SECRET_KEY`` keeps proven
    identities readable and findable), else None: Django's ``SECRET_KEY``."""
    return getattr(settings, "LOKET_IDENTITY_KEY", "") or None


def _fernet() -> Fernet:
    key = salted_hmac(_SEAL_SALT, "fernet", secret=_secret(), algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(national_id: str) -> str:
    """The national register number encrypted (a Fernet token), "" for none."""
    digits = "".join(ch for ch in str(national_id or "") if ch.isdigit())
    return _fernet().encrypt(digits.encode()).decode() if digits else ""


def unseal(token: str) -> str:
    """The national register number of :func:`seal`; "" when there is none or it cannot
    be read (the ``SECRET_KEY`` changed: logged, never raised)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        logger.warning(
            "A sealed national register number cannot be read "
            "(LOKET_IDENTITY_KEY or SECRET_KEY changed?)"
        )
        return ""


def from_identity(identity: ApplicantIdentity | None) -> dict:
    """What ``identity`` vouched for beyond an e-mail address, as plain JSON: ``method``,
    ``national_id``, ``enterprise_number`` and ``assurance``; {} when it vouched for
    neither a person nor an enterprise (no sign-in, or the e-mail link)."""
    if identity is None or not (identity.national_id or identity.enterprise_number):
        return {}
    try:
        assurance = int((identity.extra or {}).get("assurance") or 0)
    except (TypeError, ValueError):
        assurance = 0
    return {
        "method": identity.method,
        "national_id": identity.national_id,
        "enterprise_number": identity.enterprise_number,
        "assurance": assurance,
    }


def from_request(request: HttpRequest) -> dict:
    """:func:`from_identity` of the applicant signed in on ``request``."""
    return from_identity(current_identity(request))


def dossier_fields(vouched: dict | None) -> dict:
    """The Dossier fields that keep ``vouched`` (:func:`from_identity`'s shape)."""
    vouched = vouched or {}
    national_id = str(vouched.get("national_id") or "")
    enterprise = "".join(ch for ch in str(vouched.get("enterprise_number") or "") if ch.isdigit())
    if not (national_id or enterprise):
        return {}
    try:
        assurance = max(0, min(3, int(vouched.get("assurance") or 0)))
    except (TypeError, ValueError):
        assurance = 0
    return {
        "vouched_method": str(vouched.get("method") or "")[:40],
        "vouched_person": person_key(national_id),
        "vouched_national_id": seal(national_id),
        "vouched_enterprise": enterprise[:10] if len(enterprise) == 10 else "",
        "vouched_assurance": assurance,
    }
