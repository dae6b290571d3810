"""core.ratelimit: counting per key and window, the 429 page, the client address, the
limits from the setting, and the marker on limited views."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from core import ratelimit


@pytest.fixture(autouse=True)
def test_limits(settings):
    settings.LOKET_RATE_LIMITS = {
        **settings.LOKET_RATE_LIMITS,
        "test_view": (2, 60),
        "test_per_thing": (1, 60),
    }


@ratelimit.ratelimit("test_view")
def limited_view(request):
    return HttpResponse("ok")


@ratelimit.ratelimit("test_view")
@ratelimit.ratelimit("test_per_thing", key=ratelimit.by_url_kwarg("thing"), back=True)
def thing_view(request, thing):
    return HttpResponse(thing)


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


def test_limits_come_from_the_setting_on_each_request(rf: RequestFactory, settings):
    settings.LOKET_RATE_LIMITS = {**settings.LOKET_RATE_LIMITS, "test_view": (4, 120)}
    statuses = [limited_view(rf.post("/")).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert limited_view(rf.post("/"))["Retry-After"] == "120"


@pytest.mark.django_db
def test_a_key_from_the_url_counts_per_value_and_links_back(rf: RequestFactory):
    assert thing_view(rf.post("/a/"), thing="a").status_code == 200
    refused = thing_view(rf.post("/a/"), thing="a")
    refused.render()
    assert refused.status_code == 429
    assert 'href="/a/"' in refused.content.decode()
    assert "Te veel pogingen" in refused.content.decode()
    # Another value has a count of its own; the client limit (2) is reached now.
    assert thing_view(rf.post("/b/"), thing="b").status_code == 429


def test_decorated_views_carry_the_names_of_their_limits():
    assert limited_view.rate_limits == ("test_view",)
    assert set(thing_view.rate_limits) == {"test_view", "test_per_thing"}

    @ratelimit.limited_in_view("test_per_thing")
    def view(request):
        return HttpResponse()

    assert view.rate_limits == ("test_per_thing",)


def test_an_unknown_limit_name_fails_loudly(rf: RequestFactory):
    view = ratelimit.ratelimit("no_such_limit")(lambda request: HttpResponse())
    with pytest.raises(KeyError):
        view(rf.post("/"))


def test_limits_can_be_changed_from_the_environment():
    from cms.settings.base import _rate_limit_overrides

    assert _rate_limit_overrides(" public_post_per_client=600/300 ,, ") == {
        "public_post_per_client": (600, 300)
    }
    for wrong in (
        "public_post=1/60",
        "public_post_per_client=1",
        "public_post_per_client=a/b",
        "public_post_per_client=5/0",
    ):
        with pytest.raises(ValueError, match="LOKET_RATE_LIMITS"):
            _rate_limit_overrides(wrong)


@pytest.mark.django_db
class TestAdminSignIn:
    """Guessing officers' passwords: limited per client and per user name tried."""

    def sign_in(self, client, username, password="wrong", **extra):
        return client.post("/admin/login/", {"username": username, "password": password}, **extra)

    @pytest.fixture
    def officer(self, home_page):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.create_superuser(
            "beheer", "b@example.org", "juist-wachtwoord"
        )

    @pytest.fixture
    def clock(self, monkeypatch):
        """The throttle's clock, moved by hand."""
        now = [1_000_000.0]
        monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
        return now

    def test_brute_force_from_one_client_is_slowed_with_growing_waits(
        self, client, officer, clock, settings
    ):
        settings.LOKET_RATE_LIMITS = {
            **settings.LOKET_RATE_LIMITS,
            "admin_sign_in_per_username_and_client": (3, 900),
        }
        answers = [self.sign_in(client, "Beheer", REMOTE_ADDR="10.0.0.1") for _ in range(4)]
        # Three free tries, then the fourth wrong password makes this client wait.
        assert [a.status_code for a in answers] == [200, 200, 200, 200]
        refused = self.sign_in(client, "beheer", "juist-wachtwoord", REMOTE_ADDR="10.0.0.1")
        assert refused.status_code == 429
        assert "Te veel pogingen" in refused.content.decode()
        assert refused["Retry-After"] == "5"
        assert "_auth_user_id" not in client.session  # the password was not even checked
        clock[0] += 5
        assert self.sign_in(client, "beheer", REMOTE_ADDR="10.0.0.1").status_code == 200
        # The next wrong password doubles the wait, and so on up to the window.
        assert self.sign_in(client, "beheer", REMOTE_ADDR="10.0.0.1")["Retry-After"] == "10"
        clock[0] += 10
        self.sign_in(client, "beheer", REMOTE_ADDR="10.0.0.1")
        assert self.sign_in(client, "beheer", REMOTE_ADDR="10.0.0.1")["Retry-After"] == "20"

    def test_the_officer_gets_in_from_their_own_client_while_their_name_is_hammered(
        self, client, officer, clock, settings
    ):
        settings.LOKET_RATE_LIMITS = {
            **settings.LOKET_RATE_LIMITS,
            "admin_sign_in_per_username_and_client": (3, 900),
            "admin_sign_in_per_username": (5, 900),
        }
        # An attacker hammers the user name from one address, then from many.
        for _ in range(20):
            self.sign_in(client, "beheer", REMOTE_ADDR="10.0.0.66")
        for n in range(10):
            self.sign_in(client, "beheer", REMOTE_ADDR=f"10.0.1.{n}")
        assert self.sign_in(client, "beheer", REMOTE_ADDR="10.0.0.66").status_code == 429

        victim = self.sign_in(client, "beheer", "juist-wachtwoord", REMOTE_ADDR="192.168.5.5")
        assert victim.status_code == 302
        assert client.session["_auth_user_id"] == str(officer.pk)

    def test_a_guesser_spread_over_many_clients_waits_from_its_first_mistake(
        self, client, officer, clock, settings
    ):
        settings.LOKET_RATE_LIMITS = {
            **settings.LOKET_RATE_LIMITS,
            "admin_sign_in_per_username_and_client": (3, 900),
            "admin_sign_in_per_username": (5, 900),
        }
        for n in range(5):  # five wrong passwords for the name, from five addresses
            assert self.sign_in(client, "beheer", REMOTE_ADDR=f"10.0.2.{n}").status_code == 200
        # From now on a new address gets one try, not three.
        assert self.sign_in(client, "beheer", REMOTE_ADDR="10.0.3.1").status_code == 200
        assert self.sign_in(client, "beheer", REMOTE_ADDR="10.0.3.1").status_code == 429
        # And the per-client limit on every post still holds for each address.
        settings.LOKET_RATE_LIMITS = {
            **settings.LOKET_RATE_LIMITS,
            "admin_sign_in_per_client": (2, 900),
        }
        answers = [
            self.sign_in(client, f"naam{n}", REMOTE_ADDR="10.0.4.1").status_code for n in range(3)
        ]
        assert answers == [200, 200, 429]

    def test_the_right_password_clears_the_clients_mistakes(self, client, officer, clock, settings):
        settings.LOKET_RATE_LIMITS = {
            **settings.LOKET_RATE_LIMITS,
            "admin_sign_in_per_username_and_client": (3, 900),
        }
        for _ in range(2):
            self.sign_in(client, "beheer", REMOTE_ADDR="10.0.0.7")
        assert (
            self.sign_in(client, "beheer", "juist-wachtwoord", REMOTE_ADDR="10.0.0.7").status_code
            == 302
        )
        client.logout()
        answers = [self.sign_in(client, "beheer", REMOTE_ADDR="10.0.0.7") for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]

    def test_many_user_names_from_one_address_are_limited(self, client, home_page, settings):
        settings.LOKET_RATE_LIMITS = {
            **settings.LOKET_RATE_LIMITS,
            "admin_sign_in_per_client": (5, 900),
        }
        answers = [self.sign_in(client, f"gebruiker{n}").status_code for n in range(6)]
        assert answers == [200] * 5 + [429]
        # Opening the sign-in page is not counted.
        assert client.get("/admin/login/").status_code == 200

    def test_the_forgot_password_form_is_limited(self, client, home_page, settings):
        settings.LOKET_RATE_LIMITS = {
            **settings.LOKET_RATE_LIMITS,
            "admin_password_reset_per_client": (2, 3600),
        }
        answers = [
            client.post("/admin/password_reset/", {"email": "x@example.org"}).status_code
            for _ in range(3)
        ]
        assert answers[:2] == [302, 302] and answers[2] == 429
