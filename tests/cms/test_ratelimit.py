"""cms.ratelimit: counting per key and window, the 429 page, the client address."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from cms import ratelimit


@ratelimit.ratelimit("test-view", limit=2, window=60)
def limited_view(request):
    return HttpResponse("ok")


def test_hit_counts_per_key_and_refuses_over_the_limit():
    assert ratelimit.hit("g", "a", limit=2, window=60)
    assert ratelimit.hit("g", "a", limit=2, window=60)
    assert not ratelimit.hit("g", "a", limit=2, window=60)
    # Another key and another group count on their own.
    assert ratelimit.hit("g", "b", limit=2, window=60)
    assert ratelimit.hit("other", "a", limit=2, window=60)


def test_reset_forgets_the_count():
    for _ in range(3):
        ratelimit.hit("g", "a", limit=2, window=60)
    ratelimit.reset("g", "a", window=60)
    assert ratelimit.hit("g", "a", limit=2, window=60)


@override_settings(LOKET_RATELIMIT_ENABLED=False)
def test_can_be_switched_off():
    assert all(ratelimit.hit("g", "a", limit=1, window=60) for _ in range(5))


@pytest.mark.django_db
def test_view_over_the_limit_gets_a_dutch_429_page_with_retry_after(rf: RequestFactory):
    responses = [limited_view(rf.post("/")) for _ in range(3)]
    assert [r.status_code for r in responses[:2]] == [200, 200]
    refused = responses[2]
    refused.render()
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Te veel pogingen" in refused.content.decode()


def test_only_the_given_methods_count(rf: RequestFactory):
    assert all(limited_view(rf.get("/")).status_code == 200 for _ in range(5))


@override_settings(LOKET_TRUSTED_PROXIES=1)
def test_client_ip_behind_one_trusted_proxy(rf: RequestFactory):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4", REMOTE_ADDR="10.0.0.1")
    assert ratelimit.client_ip(request) == "1.2.3.4"


def test_client_ip_without_proxies_ignores_forwarded_for(rf: RequestFactory):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.1")
    assert ratelimit.client_ip(request) == "10.0.0.1"
