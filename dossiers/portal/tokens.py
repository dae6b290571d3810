"""One-time sign-in links for "Mijn loket" (the e-mail link sign-in method).

- The token is ``secrets.token_urlsafe(32)``: 256 random bits. Only its SHA-256 is
  stored (:class:`~dossiers.models.SignInToken`), so a copy of the database signs nobody
  in. A link is checked by looking up the hash of what it holds: the lookup compares
  digests of a secret the visitor does not control, so its timing tells nothing about
  the stored tokens.
- A link works for ``LOKET_SIGNIN_LINK_MINUTES`` (15) and once: redeeming sets
  ``used_at`` with one conditional UPDATE (``... WHERE used_at IS NULL``), so of two
  clicks at the same moment exactly one signs in.
- Opening the link (GET) only shows a confirm button; mail scanners that fetch links
  therefore never use them up. Only the POST of that button redeems.
- A link is sent to every address that asks, known or not: the answer on screen and the
  work done are the same either way, so nobody learns from it whether an address has
  dossiers. An e-mail to an address without dossiers does no harm (it says so, and who
  did not ask can ignore it); the rate limits per address and per client stop anyone
  from using the form to flood a mailbox.
- The e-mail is sent by a Celery task after commit. The task gets the token itself
  (it exists nowhere else), so the broker holds it until the mail is sent; the link
  expires soon and works once.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from core.tokens import hash_token
from dossiers.models import SignInToken


def link_minutes() -> int:
    """How long a sign-in link works, in minutes."""
    return getattr(settings, "LOKET_SIGNIN_LINK_MINUTES", 15)


def safe_next(next_url: str | None) -> str:
    """``next_url`` if it is a path on this site, else "" (no open redirects)."""
    if not next_url or not next_url.startswith("/") or len(next_url) > 500:
        return ""
    return next_url if url_has_allowed_host_and_scheme(next_url, allowed_hosts=set()) else ""


def link_path(token: str, next_url: str = "") -> str:
    """The path of the sign-in link for ``token``."""
    path = reverse("portal:redeem", kwargs={"token": token})
    next_url = safe_next(next_url)
    return f"{path}?{urlencode({'next': next_url})}" if next_url else path


def usable_token(token: str) -> SignInToken | None:
    """The unused, unexpired sign-in token behind ``token``, or None. Uses nothing up."""
    if not token or len(token) > 100:
        return None
    return SignInToken.objects.filter(
        token_hash=hash_token(token), used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def redeem(token: str) -> str | None:
    """Use the sign-in token up; its e-mail address, or None if it cannot be used
    (unknown, expired or already used). Of two concurrent calls only one succeeds."""
    if not token or len(token) > 100:
        return None
    now = timezone.now()
    digest = hash_token(token)
    used = SignInToken.objects.filter(
        token_hash=digest, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if used != 1:
        return None
    return SignInToken.objects.filter(token_hash=digest).values_list("email", flat=True).first()


def delete_old_tokens(days: int = 1) -> int:
    """Delete sign-in tokens that expired more than ``days`` ago; how many."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted, _by_model = SignInToken.objects.filter(expires_at__lt=cutoff).delete()
    return deleted
