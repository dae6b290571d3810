"""Rate limits for public requests: a fixed window counter per key in the cache.

Every limit has a name in the setting ``LOKET_RATE_LIMITS`` (requests, seconds), read on
each request. Put a limit on a view with the decorator::

    @ratelimit("dossier_post_per_client")
    def status_page(request, public_id, key): ...

    @ratelimit("dossier_post_per_dossier", key=by_url_kwarg("public_id"))

or, where the key is only known inside the view (a draft, an e-mail address), call
:func:`check` there and declare the names on the view with :func:`limited_in_view`.
Both leave the names on the view (:data:`MARKER`), so a test can find every public
view that accepts POST without a limit.

A request over the limit gets the page ``429.html`` (in the visitor's language) with
status 429 and a ``Retry-After`` header. The request is refused before the view runs:
nothing already sent is lost (a draft or dossier stays as it was), and after the window
the visitor simply goes on.

The counters live in Django's default cache: in production that is Redis (the
``CACHE_URL`` setting), shared by every web process. Without a shared cache every
process counts on its own, which still stops a flood but allows more in total.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable, Iterable, Mapping

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern

#: The attribute on a view function with the names of the limits it applies.
MARKER = "rate_limits"


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind ``LOKET_TRUSTED_PROXIES`` reverse proxies, the
    address the outermost trusted proxy saw (from X-Forwarded-For); else REMOTE_ADDR."""
    proxies = getattr(settings, "LOKET_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def by_client(request: HttpRequest, *args, **kwargs) -> str:
    """Count per client address (the default key of :func:`ratelimit`)."""
    return client_ip(request)


def by_url_kwarg(name: str) -> Callable[..., str]:
    """Count per value of the URL argument ``name`` (e.g. a dossier's public id)."""

    def key(request: HttpRequest, *args, **kwargs) -> str:
        return str(kwargs.get(name, ""))

    return key


def _cache_key(group: str, key: str, window: int) -> tuple[str, int]:
    slot = int(time.time() // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"loket:rl:{group}:{digest}:{slot}", window - int(time.time() % window)


def hit(group: str, key: str, *, limit: int, window: int) -> bool:
    """Count one request for ``key`` in ``group``; False when it goes over ``limit``
    requests in the current window of ``window`` seconds."""
    if not getattr(settings, "LOKET_RATELIMIT_ENABLED", True):
        return True
    cache_key, remaining = _cache_key(group, key, window)
    count = getattr(cache, "count", None)
    if count is not None:  # Redis (core.cache): one round trip; 0 while Redis is down
        return count(cache_key, remaining + 1) <= limit
    if cache.add(cache_key, 1, timeout=remaining + 1):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=remaining + 1)
        count = 1
    return count <= limit


def reset(group: str, key: str, *, window: int) -> None:
    """Forget the count of ``key`` in ``group`` (tests, or after a successful sign-in)."""
    cache.delete(_cache_key(group, key, window)[0])


def limit_for(name: str) -> tuple[int, int]:
    """(requests, seconds) of the limit ``name`` in the setting ``LOKET_RATE_LIMITS``."""
    limit, window = settings.LOKET_RATE_LIMITS[name]
    return int(limit), int(window)


def too_many_requests(
    request: HttpRequest, window: int, back_url: str | None = None
) -> TemplateResponse:
    """The Dutch (or English) 429 page. ``back_url`` offers a way back to the page the
    visitor came from, e.g. the step of their form, which still holds their answers."""
    response = TemplateResponse(
        request, "429.html", {"retry_minutes": max(1, window // 60), "back_url": back_url}
    )
    response.status_code = 429
    response["Retry-After"] = str(window)
    return response


def check(
    request: HttpRequest, name: str, key: str, *, back_url: str | None = None
) -> TemplateResponse | None:
    """Count this request against limit ``name`` for ``key``: the 429 response when it
    goes over, else None. For limits whose key is only known inside a view; declare
    ``name`` on that view with :func:`limited_in_view`."""
    limit, window = limit_for(name)
    if hit(name, key, limit=limit, window=window):
        return None
    return too_many_requests(request, window, back_url=back_url)


def _mark(view, names: Iterable[str]):
    setattr(view, MARKER, (*getattr(view, MARKER, ()), *names))
    return view


def ratelimit(
    name: str,
    *,
    methods: Iterable[str] = ("POST",),
    key: Callable[..., str] = by_client,
    back: bool = False,
):
    """Limit a view to the limit ``name`` of ``LOKET_RATE_LIMITS`` per ``key`` (the
    client's address by default; called with the view's arguments), counting only the
    given ``methods``. With ``back``, the 429 page links back to the URL that was
    posted to (for pages that show the visitor's saved work on GET)."""
    methods = {method.upper() for method in methods}

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                refused = check(
                    request,
                    name,
                    key(request, *args, **kwargs),
                    back_url=request.path if back else None,
                )
                if refused is not None:
                    return refused
            return view(request, *args, **kwargs)

        # functools.wraps copied the names of limits the inner view applies.
        return _mark(wrapped, (name,))

    return decorator


def limited_in_view(*names: str):
    """Declare that a view applies the limits ``names`` itself (with :func:`check` or
    :func:`hit`), because their key is only known inside it."""

    def decorator(view):
        return _mark(view, names)

    return decorator


def limit_patterns(
    patterns: Iterable[URLPattern], name: str, *, by_pattern_name: Mapping[str, str] | None = None
) -> list[URLPattern]:
    """Copies of another app's URL patterns (Wagtail's page serving, documents) with
    their views limited to ``name``, or to ``by_pattern_name[pattern.name]``."""
    by_pattern_name = by_pattern_name or {}
    limited = []
    for pattern in patterns:
        if not isinstance(pattern, URLPattern):
            raise TypeError(f"Only plain URL patterns can be limited, not {pattern!r}")
        view = ratelimit(by_pattern_name.get(pattern.name, name), back=True)(pattern.callback)
        limited.append(URLPattern(pattern.pattern, view, pattern.default_args, pattern.name))
    return limited


# --- Sign-in throttling ---------------------------------------------------------------
#
# A limit per user name alone lets anyone lock an officer out: ten wrong passwords from
# anywhere and the right one is refused too. So wrong passwords are counted per
# (user name, client): after a few, that client waits before its next try, each mistake
# doubling the wait. Other clients are not held up, so the officer signs in from their
# own computer while someone hammers their user name elsewhere. Once a user name has
# many wrong passwords from all clients together, a client waits from its first
# mistake for it (a guesser spread over many addresses gets one free try per address,
# not several); a client that made no mistake for it still goes straight through.
# The per-client limit on every post (``admin_sign_in_per_client``) stays in front, so a
# burst of parallel guesses before the first wait is set is bounded too.

#: Seconds the first wait lasts; each further wrong password doubles it, up to the
#: window of the limit ``*_per_username_and_client``.
SIGN_IN_FIRST_DELAY = 5


def _now() -> float:
    return time.time()


def _failures_key(group: str, username: str, client: str) -> str:
    digest = hashlib.sha256(f"{username}\n{client}".encode()).hexdigest()[:32]
    return f"loket:signin:{group}:{digest}"


def sign_in_wait(group: str, username: str, client: str) -> int:
    """Seconds ``client`` must still wait before it may try a password for
    ``username`` again (0: it may try now)."""
    state = cache.get(_failures_key(group, username, client)) or {}
    return max(0, int(state.get("until", 0) - _now() + 0.999))


def record_sign_in_failure(group: str, username: str, client: str) -> int:
    """Count a wrong password of ``client`` for ``username``; returns the seconds it
    must now wait (0 while it has free tries left).

    Reads the limits ``<group>_per_username_and_client`` (free wrong passwords per
    client, and the longest wait) and ``<group>_per_username`` (wrong passwords from all
    clients together before every client waits from its first mistake).
    """
    free, longest = limit_for(f"{group}_per_username_and_client")
    under_attack_after, window = limit_for(f"{group}_per_username")
    if not hit(f"{group}_failures", username, limit=under_attack_after, window=window):
        free = 0
    key = _failures_key(group, username, client)
    state = cache.get(key) or {}
    failures = int(state.get("failures", 0)) + 1
    wait = 0
    if failures > free:
        wait = min(longest, SIGN_IN_FIRST_DELAY * 2 ** (failures - free - 1))
    cache.set(key, {"failures": failures, "until": _now() + wait}, timeout=max(longest, window))
    return wait


def forget_sign_in_failures(group: str, username: str, client: str) -> None:
    """The right password: this client starts afresh for this user name."""
    cache.delete(_failures_key(group, username, client))


def throttle_sign_in(group: str, *, username_field: str = "username"):
    """Decorate a sign-in view (a POST with ``username_field`` and a password) so that
    wrong passwords slow down the client that sends them, per user name (see above).

    A post from a client that must still wait is refused with the 429 page before the
    password is checked. After the view, a signed-in user counts as the right
    password; anything else as a wrong one. The limits are named ``<group>_per_username``
    and ``<group>_per_username_and_client`` in ``LOKET_RATE_LIMITS``.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "POST" or not getattr(settings, "LOKET_RATELIMIT_ENABLED", True):
                return view(request, *args, **kwargs)
            username = (request.POST.get(username_field) or "").strip().lower()
            client = client_ip(request)
            wait = sign_in_wait(group, username, client)
            if wait:
                return too_many_requests(request, wait)
            response = view(request, *args, **kwargs)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                forget_sign_in_failures(group, username, client)
            else:
                record_sign_in_failure(group, username, client)
            return response

        return _mark(wrapped, (f"{group}_per_username", f"{group}_per_username_and_client"))

    return decorator
