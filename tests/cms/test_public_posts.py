"""Every public POST is rate limited (issue #7).

The first tests walk every URL pattern outside /admin/ and every route of every page
type: each view either carries the names of its limits (set by core.ratelimit's
decorators) or refuses a POST with 405. A new view that forgets its limit fails here.
The others hit the site-wide limits and see the Dutch 429 page.
"""

import pytest
from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, get_page_models

from core import ratelimit

#: Not public: the officers' and editors' admin, behind Wagtail's own login.
NOT_PUBLIC = ("admin/",)


def url_patterns(patterns=None, prefix=""):
    """(route, URLPattern) of every URL of the site, with its full route."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, route)
        else:
            yield route, pattern


def public_url_patterns():
    return [
        (route, pattern)
        for route, pattern in url_patterns()
        if not route.lstrip("^").startswith(NOT_PUBLIC)
    ]


def page_routes():
    """(page model, route, URLPattern) of every route of every routable page type that
    can be reached (a route shadowed by an earlier one with the same path cannot)."""
    for model in get_page_models():
        if not issubclass(model, RoutablePageMixin):
            continue
        seen = set()
        for pattern in model.get_subpage_urls():
            if str(pattern.pattern) not in seen:
                seen.add(str(pattern.pattern))
                yield model, str(pattern.pattern), pattern


def placeholder_arguments(pattern: URLPattern):
    """Arguments for calling ``pattern``'s view; they only need to be there, because a
    view that refuses POST does so before looking at them."""
    regex = pattern.pattern.regex
    kwargs = {name: "1" for name in regex.groupindex}
    args = ["1"] * (regex.groups - len(regex.groupindex))
    return args, kwargs


def known_limit(name: str) -> bool:
    if name.startswith("portal-"):
        return name.removeprefix("portal-") in settings.LOKET_SIGNIN_LIMITS
    return name in settings.LOKET_RATE_LIMITS


def refuses_post(view, page, args, kwargs) -> bool:
    """Whether ``view`` answers a POST with 405 (``page``: the page a route is of)."""
    request = RequestFactory().post("/", {"x": "1"})
    try:
        if page is None:
            response = view(request, *args, **kwargs)
        else:
            response = view(page, request, *args, **kwargs)
    except Exception:  # it got past the method check and did something with the post
        return False
    return isinstance(response, HttpResponseNotAllowed)


def problems_of(view, args=(), kwargs=None, page=None) -> list[str]:
    names = getattr(view, ratelimit.MARKER, ())
    if names:
        return [f"unknown limit {name!r}" for name in names if not known_limit(name)]
    if refuses_post(view, page, args, kwargs or {}):
        return []
    return ["accepts POST without a rate limit"]


def test_the_walk_finds_the_public_forms():
    """Guards the walk itself: if it found nothing, the next test would pass vacuously."""
    names = {pattern.name for _route, pattern in public_url_patterns()}
    assert {"wagtail_serve", "set_language", "status", "sign_in", "search"} <= names
    assert not any(route.startswith("admin/") for route, _p in public_url_patterns())
    assert {(model.__name__, route) for model, route, _p in page_routes()} >= {
        ("ApplicationFormPage", "^stap/(?P<step>[0-9]{1,3})/$"),
        ("ApplicationFormPage", "bewaren/"),
        ("FinderPage", "vraag/"),
    }


@pytest.mark.django_db
def test_every_public_url_that_accepts_post_is_rate_limited():
    problems = []
    for route, pattern in public_url_patterns():
        args, kwargs = placeholder_arguments(pattern)
        for problem in problems_of(pattern.callback, args, kwargs):
            problems.append(f"/{route} ({pattern.lookup_str}): {problem}")
    assert problems == []


@pytest.mark.django_db
def test_every_page_route_that_accepts_post_is_rate_limited():
    problems = []
    for model, route, pattern in page_routes():
        args, kwargs = placeholder_arguments(pattern)
        for problem in problems_of(pattern.callback, args, kwargs, page=model()):
            problems.append(f"{model.__name__} {route}: {problem}")
    assert problems == []


def test_page_types_without_routes_are_served_by_wagtail_itself():
    """Their posts go through Wagtail's serve view, limited in cms/urls.py. A page type
    that serves requests itself must limit its posts in its own serve()."""
    for model in get_page_models():
        if issubclass(model, RoutablePageMixin) or model.serve is Page.serve:
            continue
        assert getattr(model.serve, ratelimit.MARKER, ()), model


def test_the_check_fails_for_a_view_without_a_limit():
    def open_view(request, thing):
        return None

    def get_only(request, thing):
        return HttpResponseNotAllowed(["GET"])

    assert problems_of(open_view, kwargs={"thing": "1"}) == ["accepts POST without a rate limit"]
    assert problems_of(get_only, kwargs={"thing": "1"}) == []
    assert problems_of(ratelimit.ratelimit("nonsense")(open_view)) == ["unknown limit 'nonsense'"]


# --- the site-wide limits -----------------------------------------------------------------


def set_limit(settings, name, limit, window=600):
    settings.LOKET_RATE_LIMITS = {**settings.LOKET_RATE_LIMITS, name: (limit, window)}


@pytest.mark.django_db
def test_posts_to_pages_are_limited_per_client(client, home_page, settings):
    set_limit(settings, "public_post_per_client", 3)
    statuses = [client.post(home_page.url).status_code for _ in range(3)]
    refused = client.post(home_page.url)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert "Te veel pogingen" in refused.content.decode()
    assert refused["Retry-After"] == "600"
    # Reading pages is not limited, and another client may still post.
    assert client.get(home_page.url).status_code == 200
    assert client.post(home_page.url, REMOTE_ADDR="10.9.8.7").status_code == 200


@pytest.mark.django_db
def test_switching_the_language_is_limited(client, home_page, settings):
    set_limit(settings, "language_per_client", 2)
    for _ in range(2):
        response = client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
        assert response.status_code == 302
    refused = client.post("/i18n/setlang/", {"language": "nl", "next": "/"})

    assert refused.status_code == 429
    assert "Te veel pogingen" in refused.content.decode()


@pytest.mark.django_db
def test_guessing_passwords_is_limited_tightly(client, home_page):
    limit, _window = settings.LOKET_RATE_LIMITS["password_per_client"]
    assert limit <= 10
    login = {"username": "someone", "password": "guess"}
    for _ in range(limit):
        assert client.post("/_util/login/", login).status_code == 200
    refused = client.post("/_util/login/", login)

    assert refused.status_code == 429
    assert "Te veel pogingen" in refused.content.decode()
    # The password of a private page counts against the same limit.
    assert client.post("/_util/authenticate_with_password/1/1/").status_code == 429
