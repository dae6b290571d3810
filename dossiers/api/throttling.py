"""The API's rate limit: the project's fixed-window counters (core.ratelimit), the
limit ``api_per_client`` of LOKET_RATE_LIMITS, per client application (per address for
calls without a valid token)."""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle

from core import ratelimit

LIMIT_NAME = "api_per_client"


class ClientRateThrottle(BaseThrottle):
    def allow_request(self, request, view):
        limit, window = ratelimit.limit_for(LIMIT_NAME)
        self.window = window
        client = request.auth
        key = f"client:{client.pk}" if client is not None else f"ip:{ratelimit.client_ip(request)}"
        return ratelimit.hit(LIMIT_NAME, key, limit=limit, window=window)

    def wait(self):
        return getattr(self, "window", None)
