"""Who the applicant is in "Mijn loket": an identity in the session, not a Django user.

Applicants are not staff and have no password. A *sign-in method* proves who they are
and ends by calling :func:`sign_in` with an :class:`ApplicantIdentity` holding only
claims it verified. The rest of Mijn loket (the overview, prefill) asks
:func:`current_identity` and never cares how the applicant signed in.

Sign-in methods
---------------
Each way in is a :class:`SignInMethod` registered with ``@register``. The sign-in page
lists every method; the e-mail link (:class:`EmailLinkMethod`, see
:mod:`dossiers.portal.tokens`) is the first one.

Adding a government identity provider (OpenID Connect, as the Flemish and federal login
services use) is another method plus two views, without touching the rest:

1. Register the client with the provider and add an OIDC library (for example
   ``mozilla-django-oidc`` or ``authlib``); keep its use in one module, e.g.
   ``dossiers/portal/oidc.py``.
2. A "start" view redirects to the provider's authorisation endpoint with a ``state``
   and a ``nonce`` kept in the session (and PKCE), and the ``next`` address.
3. The callback view checks ``state``, exchanges the code, validates the ID token
   (signature, issuer, audience, expiry, nonce) with the library, and reads the
   *verified* claims: e-mail (only when the provider says it is verified), the enterprise
   number it vouches for (mandate), the national register number when the service needs
   it. It then calls ``sign_in(request, ApplicantIdentity(method="oidc-<provider>",
   email=..., enterprise_number=..., national_id=...))`` and redirects to ``next``.
4. ``@register`` a ``SignInMethod`` subclass whose :meth:`~SignInMethod.start_url` is
   the start view, so the sign-in page offers it.

Do not use ``mozilla-django-oidc``'s authentication backend as is: it creates Django
users, and applicants must not become users of the admin. Use its (or authlib's) token
validation and end in :func:`sign_in`.

The Flemish government's login is such a method: :mod:`dossiers.portal.oidc`.

Mijn loket finds dossiers and drafts by the verified e-mail address (none when a
method gives no verified address), and also the dossiers of the enterprise a provider
vouched for (``enterprise_number``; only such methods set it, never what someone
typed).

Sessions
--------
:func:`sign_in` rotates the session key (no session fixation). The identity ends after
``LOKET_APPLICANT_IDLE_MINUTES`` without a request and after
``LOKET_APPLICANT_SESSION_HOURS`` in any case; :func:`sign_out` ends it at once. Other
things in the session (an officer signed in to the admin, unfinished forms) are kept.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import ClassVar

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.registry import Registry

#: Where the identity lives in the session.
SESSION_KEY = "loket-applicant"

#: How often (seconds) the "last seen" time in the session is refreshed: not on every
#: request, so reading a page does not always write the session.
_TOUCH_EVERY = 60


@dataclass(frozen=True)
class ApplicantIdentity:
    """The applicant as a sign-in method verified them. Only verified claims belong here."""

    #: The :attr:`SignInMethod.method_id` that verified the claims.
    method: str
    #: The verified e-mail address (lower case); dossiers and drafts are found by it.
    email: str
    #: An enterprise number (KBO) the method vouches for, 10 digits; "" when unknown.
    enterprise_number: str = ""
    #: A national register number the method vouches for; "" when unknown.
    national_id: str = ""
    #: The name as the method gives it; "" when unknown.
    name: str = ""
    #: Anything else a method verified and wants to keep (JSON-serialisable).
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "email", normalise_email(self.email))


def normalise_email(email: str) -> str:
    """E-mail addresses are compared without case and surrounding spaces."""
    return (email or "").strip().lower()


def _now() -> datetime.datetime:
    return timezone.now()


def _idle_limit() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "LOKET_APPLICANT_IDLE_MINUTES", 120))


def _session_limit() -> datetime.timedelta:
    return datetime.timedelta(hours=getattr(settings, "LOKET_APPLICANT_SESSION_HOURS", 12))


def sign_in(request: HttpRequest, identity: ApplicantIdentity) -> None:
    """Sign ``identity`` in on this browser: a new session key, then the identity.

    Every sign-in method ends here, after it verified the identity's claims.
    """
    request.session.cycle_key()
    now = _now().timestamp()
    request.session[SESSION_KEY] = {
        "identity": asdict(identity),
        "signed_in_at": now,
        "last_seen": now,
    }
    request._loket_applicant = identity


def current_identity(request: HttpRequest) -> ApplicantIdentity | None:
    """The signed-in applicant, or None (never signed in, signed out, or expired).

    An expired identity is removed from the session. Each call counts as activity.
    """
    cached = getattr(request, "_loket_applicant", False)
    if cached is not False:
        return cached
    identity = _identity_from_session(request)
    request._loket_applicant = identity
    return identity


def _identity_from_session(request: HttpRequest) -> ApplicantIdentity | None:
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    now = _now().timestamp()
    try:
        identity = ApplicantIdentity(**stored["identity"])
        signed_in_at, last_seen = float(stored["signed_in_at"]), float(stored["last_seen"])
    except (KeyError, TypeError, ValueError):
        del request.session[SESSION_KEY]
        return None
    if (
        now - last_seen > _idle_limit().total_seconds()
        or now - signed_in_at > _session_limit().total_seconds()
    ):
        del request.session[SESSION_KEY]
        return None
    if now - last_seen > _TOUCH_EVERY:
        request.session[SESSION_KEY] = {**stored, "last_seen": now}
    return identity


def sign_out(request: HttpRequest) -> None:
    """End the applicant's sign-in on this browser, with a new session key."""
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    request._loket_applicant = None


# --- sign-in methods --------------------------------------------------------------------


class SignInMethod:
    """One way for applicants to prove who they are. Register subclasses with ``@register``."""

    #: Stable identifier, stored as :attr:`ApplicantIdentity.method`.
    method_id: ClassVar[str] = ""
    #: What applicants read on the sign-in page, e.g. "Sign in with an e-mail link".
    label: ClassVar[str] = ""

    def start_url(self, next_url: str = "") -> str:
        """Where the applicant starts this method; ``next_url`` is where to go after."""
        raise NotImplementedError

    def is_available(self, request: HttpRequest | None = None) -> bool:
        """False hides the method (e.g. an identity provider that is not configured for
        the site of ``request``)."""
        return True


#: Every sign-in method, by ``method_id``, in registration order.
methods: Registry[SignInMethod] = Registry("sign-in method", id_attribute="method_id")

#: Class decorator: make the class a sign-in method (refuses an empty or a taken
#: ``method_id``).
register = methods.register


def get_methods(request: HttpRequest | None = None) -> list[SignInMethod]:
    """The sign-in methods available (on the site of ``request``), in registration order."""
    return [method for method in methods.all() if method.is_available(request)]


@register
class EmailLinkMethod(SignInMethod):
    """A one-time link sent to the applicant's e-mail address (see
    :mod:`dossiers.portal.tokens`): proves the applicant reads that mailbox."""

    method_id = "email_link"
    label = _("Sign in with a link by e-mail")

    def start_url(self, next_url: str = "") -> str:
        from urllib.parse import urlencode

        url = reverse("portal:sign_in")
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url
