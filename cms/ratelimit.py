"""Rate limits for public requests: a fixed window counter per key in the cache.

Use the decorator on a view::

    @ratelimit("sign-in", limit=5, window=15 * 60)
    def sign_in(request): ...

or :func:`hit` where the key is not the client (e.g. an e-mail address). A request over
the limit gets the page ``429.html`` (in the visitor's language) with status 429 and a
``Retry-After`` header; nothing the visitor typed is stored, so they can try again.

The counters live in Django's default cache: in production that is Redis (the
``CACHE_URL`` setting), shared by every web process. Without a shared cache every
process counts on its own, which still stops a flood but allows more in total.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.response import TemplateResponse


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


def too_many_requests(request: HttpRequest, window: int) -> TemplateResponse:
    response = TemplateResponse(request, "429.html", {"retry_minutes": max(1, window // 60)})
    response.status_code = 429
    response["Retry-After"] = str(window)
    return response


def ratelimit(
    group: str,
    *,
    limit: int,
    window: int,
    methods: Iterable[str] = ("POST",),
    key: Callable[[HttpRequest], str] = client_ip,
):
    """Limit a view to ``limit`` requests per ``window`` seconds per ``key`` (the
    client's address by default), counting only the given ``methods``."""
    methods = {method.upper() for method in methods}

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and not hit(
                group, key(request), limit=limit, window=window
            ):
                return too_many_requests(request, window)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
