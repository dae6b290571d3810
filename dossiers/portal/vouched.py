"""The identity a sign-in vouched for, as a dossier keeps it (issue #23).

A form's answers are what someone typed; anyone can type anyone's national register
number or enterprise number. What a sign-in method *verified* (the government login:
the person's national register number, the enterprise they act for, the level of
assurance) is kept on the dossier when it is submitted, apart from the answers, and it
is the only thing Mijn loket and the Flemish portals' ongoing affairs go by.

How it is kept (docs/PRIVACY.md, "The identity a sign-in vouched for"):

- the national register number never in the clear: a keyed hash
  (:func:`person_key`, HMAC-SHA256 keyed with ``LOKET_IDENTITY_KEY`` or the
  ``SECRET_KEY``) to find a person's dossiers, and the number itself encrypted
  (:func:`seal`, Fernet with a key derived from the same) because the portals name the
  owner of an affair by it;
- a new key without losing anything: earlier keys stay readable and findable while
  they are listed in ``LOKET_IDENTITY_OLD_KEYS`` (or ``SECRET_KEY_FALLBACKS``), and
  ``manage.py rekey_identities`` moves every dossier to the current key
  (:func:`rekeyed_fields`), after which the old key can go;
- the enterprise number (KBO, 10 digits) and the sign-in method as they are: an
  enterprise's number is public;
- the level of assurance (:class:`~dossiers.models.portal.Assurance`).

Erasing a dossier's personal data empties all of it but the level.
"""

from __future__ import annotations

import base64
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from dossiers.portal.identity import ApplicantIdentity, current_identity

logger = logging.getLogger(__name__)

_KEY_SALT = "dossiers.portal.vouched.person"
_SEAL_SALT = "dossiers.portal.vouched.seal"


def _digits(national_id: str) -> str:
    return "".join(ch for ch in str(national_id or "") if ch.isdigit())


def person_key(national_id: str) -> str:
    """The pseudonym of a national register number under the current key: the same
    number always gives the same 64 hex characters; without the key it cannot be
    reversed or recomputed. "" for no number."""
    return _person_key(national_id, _secrets()[0])


def person_keys(national_id: str) -> list[str]:
    """The pseudonyms of a national register number under the current key and every
    earlier one still configured (:func:`_secrets`): what a lookup must match while
    ``rekey_identities`` has not yet moved every dossier to the current key."""
    keys = [_person_key(national_id, secret) for secret in _secrets()]
    return [key for index, key in enumerate(keys) if key and key not in keys[:index]]


def _person_key(national_id: str, secret: str) -> str:
    digits = _digits(national_id)
    if not digits:
        return ""
    return salted_hmac(_KEY_SALT, digits, secret=secret, algorithm="sha256").hexdigest()


def _secrets() -> list[str]:
    """The keys behind the pseudonym and the seal, the current one first.

    ``LOKET_IDENTITY_KEY`` when set (so that rotating ``SECRET_KEY`` keeps proven
    identities readable and findable), then the earlier identity keys of
    ``LOKET_IDENTITY_OLD_KEYS``. Without an identity key: Django's ``SECRET_KEY`` and
    its ``SECRET_KEY_FALLBACKS``, then ``LOKET_IDENTITY_OLD_KEYS``."""
    current = getattr(settings, "LOKET_IDENTITY_KEY", "") or ""
    older = list(getattr(settings, "LOKET_IDENTITY_OLD_KEYS", None) or [])
    if current:
        return [current, *older]
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []), *older]


def _fernets() -> list[Fernet]:
    return [
        Fernet(
            base64.urlsafe_b64encode(
                salted_hmac(_SEAL_SALT, "fernet", secret=secret, algorithm="sha256").digest()
            )
        )
        for secret in _secrets()
    ]


def _fernet() -> MultiFernet:
    """Seals with the current key; opens what any configured key sealed."""
    return MultiFernet(_fernets())


def seal(national_id: str) -> str:
    """The national register number encrypted with the current key (a Fernet token),
    "" for none."""
    digits = _digits(national_id)
    return _fernet().encrypt(digits.encode()).decode() if digits else ""


def unseal(token: str) -> str:
    """The national register number of :func:`seal`; "" when there is none or no
    configured key can read it (logged, never raised)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        logger.warning(
            "A sealed national register number cannot be read "
            "(LOKET_IDENTITY_KEY or SECRET_KEY changed without LOKET_IDENTITY_OLD_KEYS?)"
        )
        return ""


def rekeyed_fields(person: str, sealed: str) -> dict | None:
    """What must change for a dossier's ``vouched_person`` and ``vouched_national_id``
    to be under the current key ({} when they are), from the number sealed under any
    configured key; None when no configured key opens it."""
    national_id = unseal(sealed)
    if not national_id:
        return None
    changes = {}
    if person != person_key(national_id):
        changes["vouched_person"] = person_key(national_id)
    try:
        _fernets()[0].decrypt(sealed.encode())
    except InvalidToken:
        changes["vouched_national_id"] = seal(national_id)
    return changes


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
