"""Two-factor authentication: the use cases. Keep it small; views and commands call these.

A person's devices (django-otp's word) are at most:

- one *confirmed* TOTP device: the authenticator app on their phone;
- one *unconfirmed* TOTP device while they set up an app (first time, or a new phone):
  it becomes the confirmed one when they type a right code from it;
- one static device holding their unused backup codes.

Codes are always checked against one device with :func:`django_otp.verify_token`, which
locks the device row, so two requests at once cannot both use a code or dodge the
throttle (django-otp's exponential back-off: after ``n`` wrong codes the device refuses
every code for ``2**(n-1)`` seconds).
"""

from __future__ import annotations

import io
import logging
import math
import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import django_otp
import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

logger = logging.getLogger("loket.two_factor")

#: How many backup codes a person gets at once (each works once).
BACKUP_CODE_COUNT = 10
#: Names of the devices (shown nowhere; they tell an operator what a row is).
APP_DEVICE_NAME = "authenticator app"
BACKUP_DEVICE_NAME = "backup codes"

#: Wagtail log actions (admin → Reports → Site history), registered in cms/wagtail_hooks.py.
LOG_SET_UP = "loket.two_factor.set_up"
LOG_BACKUP_CODES = "loket.two_factor.backup_codes"
LOG_RESET = "loket.two_factor.reset"

_APP_CODE = re.compile(r"\d{6}")
#: StaticToken.random_token(): 8 characters of lower-case base32.
_BACKUP_CODE = re.compile(r"[a-z2-7]{8}")


def _log(person, action: str, actor) -> None:
    """A Wagtail log entry about ``person`` (Reports → Site history). Wagtail finds the
    log model by the instance's class, which ``request.user`` (lazy, and wrapped again
    by django-otp) does not show: hence the user is loaded as such."""
    User = get_user_model()
    log(User._default_manager.get(pk=person.pk), action, user=actor)


# --- who must do what ------------------------------------------------------------------


def can_use_admin(user) -> bool:
    """Whether ``user`` may use the Wagtail admin (the same test as Wagtail's own)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm("wagtailadmin.access_admin")
    )


def is_required() -> bool:
    """Whether two-factor authentication is on (``LOKET_ADMIN_2FA_REQUIRED``): then
    everyone who can use the admin must pass it. Off means off for everyone: nobody is
    asked for a code, and no request pays for looking up devices."""
    return bool(getattr(settings, "LOKET_ADMIN_2FA_REQUIRED", False))


def is_set_up(user) -> bool:
    """Whether ``user`` has an authenticator app (a confirmed TOTP device)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(user) -> bool:
    """Whether this session of ``user`` passed the second step (django-otp's middleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


#: Session key: the pk of the user whose second step the identity provider handled (staff
#: signed in with the government login at a high enough level, see
#: dossiers.portal.staff_login); such a session is not asked for Loket's own code.
PROVIDER_VERIFIED_KEY = "loket-staff-provider-verified"

#: What :func:`next_step` answers.
VERIFY = "verify"
SET_UP = "set_up"


def next_step(user) -> str | None:
    """What the session of ``user`` must do before it may use the admin: :data:`VERIFY`
    (type a code), :data:`SET_UP` (set up an app first) or ``None`` (nothing)."""
    if not is_required() or not can_use_admin(user) or is_verified(user):
        return None
    return VERIFY if is_set_up(user) else SET_UP


# --- setting up an authenticator app ------------------------------------------------------


def pending_app(user) -> TOTPDevice:
    """The app ``user`` is setting up: the unconfirmed TOTP device, made on first use.

    The same secret is shown until it is confirmed, so reloading the page does not
    invalidate what the person already scanned.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def issuer() -> str:
    """The name the app shows above the person's codes (``OTP_TOTP_ISSUER``)."""
    return str(getattr(settings, "OTP_TOTP_ISSUER", "") or "")


def secret_for_typing(device: TOTPDevice) -> str:
    """The device's secret as an app asks for it when typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> bytes:
    """The ``otpauth://`` address of the device as a QR code (an SVG document)."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer, kind="svg", scale=5, border=4, dark="#000", light="#fff", xmldecl=False
    )
    return buffer.getvalue()


# --- checking a code ----------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a typed code."""

    #: The device that accepted the code; ``None`` when it was refused.
    device: Device | None = None
    #: Seconds the person must wait because of earlier wrong codes (0: not locked).
    wait_seconds: int = 0

    @property
    def accepted(self) -> bool:
        return self.device is not None

    @property
    def used_backup_code(self) -> bool:
        return isinstance(self.device, StaticDevice)


def normalise_code(code: str) -> str:
    """What the person typed, without spaces and dashes, in lower case."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def looks_like_code(code: str) -> bool:
    """Whether ``code`` (normalised) is six digits or a backup code of eight characters."""
    return bool(_APP_CODE.fullmatch(code) or _BACKUP_CODE.fullmatch(code))


def check_code_on(device: Device, code: str) -> CodeCheck:
    """Checks ``code`` against one device, unless earlier wrong codes locked it."""
    code = normalise_code(code)
    allowed, details = device.verify_is_allowed()
    if not allowed:
        locked_until: datetime | None = (details or {}).get("locked_until")
        seconds = (locked_until - timezone.now()).total_seconds() if locked_until else 1
        return CodeCheck(wait_seconds=max(1, math.ceil(seconds)))
    verified = django_otp.verify_token(device.user, device.persistent_id, code)
    return CodeCheck(device=verified)


def check_code(user, code: str) -> CodeCheck:
    """Checks a code of ``user``'s app, or one of their backup codes (which is then used
    up). Six digits go to the app, eight characters to the backup codes: a code is never
    tried twice, so a wrong app code does not lock the backup codes too."""
    code = normalise_code(code)
    if _APP_CODE.fullmatch(code):
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    elif _BACKUP_CODE.fullmatch(code):
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    else:
        return CodeCheck()
    for device in devices:
        outcome = check_code_on(device, code)
        if outcome.accepted or outcome.wait_seconds:
            return outcome
    return CodeCheck()


def mark_verified(request: HttpRequest, device: Device) -> None:
    """Remembers in the session that ``device`` verified it. The session gets a new key:
    what someone may have learnt of the key before this step is worth nothing after it."""
    request.session.cycle_key()
    django_otp.login(request, device)


def confirm_app(request: HttpRequest, device: TOTPDevice) -> None:
    """Makes the app being set up the person's app, once a code from it was accepted
    (:func:`check_code_on`): it replaces any earlier app (a new phone) and the session
    counts as verified. The caller then hands out backup codes (:func:`new_backup_codes`)."""
    user = request.user
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    mark_verified(request, device)
    _log(user, LOG_SET_UP, actor=user)
    logger.info("two-factor app set up by user %s", user.pk, extra={"event": LOG_SET_UP})


# --- backup codes -------------------------------------------------------------------------


def new_backup_codes(user) -> list[str]:
    """Replaces the backup codes of ``user`` with :data:`BACKUP_CODE_COUNT` new ones and
    returns them: they are stored, but only shown this once.

    The static device itself is kept, so a session that a backup code verified stays
    verified.
    """
    with transaction.atomic():
        device = StaticDevice.objects.filter(user=user).order_by("pk").first()
        if device is None:
            device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        else:
            device.token_set.all().delete()
            device.throttle_reset()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    _log(user, LOG_BACKUP_CODES, actor=user)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def format_backup_code(code: str) -> str:
    """``abcd efgh``: easier to read out and type (spaces are ignored when typed)."""
    return f"{code[:4]} {code[4:]}"


# --- the state of a person, and resetting it ------------------------------------------------


@dataclass(frozen=True)
class TwoFactorState:
    """What the account page and the administrators' overview show of a person."""

    set_up: bool
    set_up_at: datetime | None
    last_used_at: datetime | None
    backup_codes_left: int


def state_of(user) -> TwoFactorState:
    app = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    backup = StaticDevice.objects.filter(user=user).order_by("pk").first()
    used = [
        moment
        for moment in (
            app and app.last_used_at,
            backup and backup.last_used_at,
        )
        if moment
    ]
    return TwoFactorState(
        set_up=app is not None,
        set_up_at=app.created_at if app else None,
        last_used_at=max(used) if used else None,
        backup_codes_left=backup_codes_left(user),
    )


def reset(user, *, actor=None) -> int:
    """Removes every device of ``user`` (app and backup codes), e.g. after a lost phone.

    Their sessions lose their verification at once; at their next admin page they set up
    an app again.
    ``actor`` is who did it (``None``: an operator on the command line). Returns how many
    devices were removed; only a reset that removed something is logged.
    """
    removed = 0
    with transaction.atomic():
        for model in django_otp.device_classes():
            _count, by_model = model.objects.filter(user=user).delete()
            removed += by_model.get(model._meta.label, 0)
    if not removed:
        return 0
    _log(user, LOG_RESET, actor=actor)
    logger.info(
        "two-factor devices of user %s removed by %s",
        user.pk,
        f"user {actor.pk}" if actor is not None else "an operator",
        extra={"event": LOG_RESET},
    )
    return removed
