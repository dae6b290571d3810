"""Public pages from a cache, for visitors who are not signed in and have no session.

The home page, topic pages and service pages look the same to every anonymous visitor
of a site in one language. :class:`PageCacheMiddleware` keeps their HTML in Django's
cache (Redis in production, ``CACHE_URL``; local memory in the embedded default),
keyed per site, language, host and path, and answers the next visitor from there:
no routing, no query, no template.

When a page is served from the cache or stored in it
--------------------------------------------------------
Only a ``GET`` without a query string, from a visitor without a session cookie and
without a messages cookie, is answered from the cache: a signed-in officer or editor,
an applicant with a draft (form steps, Mijn loket) or a visitor with a pending message
always gets a freshly rendered page. A response is stored only when the page's own
``get_context()`` said it may be (:class:`CachedPageMixin`, on the three page types above,
never on application forms), it is a 200, it sets no cookie, the session was not
changed, and no CSRF token was rendered into it (a per-visitor secret).
The language is a cookie (``django_language``), chosen with a link
(:func:`cms.views.choose_language`), so the pages carry no form with a token.

When it is forgotten
--------------------
Each site has a cache version (and there is one for all sites); an entry remembers the
versions it was stored under and is ignored once either has moved on. The version of a
site moves when one of its pages is published, unpublished or deleted, when a view
restriction of its pages changes, and when its settings (branding, contact details,
footer links) are saved. Every site's version moves when a page is moved, a Site is
saved or deleted, an image changes, or a kind of appointment (shown on service pages)
changes. The key also holds :func:`release`, so a new deployment does not serve the
HTML of the previous one. Entries also expire after ``LOKET_PAGE_CACHE_SECONDS``
(default 300), which bounds what no signal reports. The same versions key the
template fragments of the header and footer (``cache_generation`` in the templates;
see :func:`cms.context_processors.site_cache`).
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.cache import patch_vary_headers
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.pages import SitePathUrlMixin, ViewRestrictionsInOneQueryMixin

ALL_SITES_KEY = "loket:page-cache:all"
#: The response header that says what the cache did, on requests it may answer: "hit"
#: (from the cache), "miss" (rendered and stored), "pass" (rendered, not storable).
HIT_HEADER = "X-Loket-Page-Cache"


def _site_key(site_id: int) -> str:
    return f"loket:page-cache:site:{site_id}"


def _timeout() -> int:
    return getattr(settings, "LOKET_PAGE_CACHE_SECONDS", 300)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        # No version yet (or the cache cannot be reached): any new value differs from
        # the implicit 0 of the entries stored so far.
        cache.set(key, 1, timeout=None)


@functools.cache
def release() -> str:
    """What tells one deployment's cached pages from the next one's: the hashed names
    of the main stylesheet and script (they change with them, and old HTML would name
    files a new deployment no longer has) and ``LOKET_RELEASE`` (set it to the release,
    e.g. the commit, so that a deployment that changes only templates or texts starts
    with an empty page cache too). Computed once per process."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    parts = [getattr(settings, "LOKET_RELEASE", "")]
    for name in ("theme/css/loket.css", "theme/js/site.js"):
        try:
            parts.append(staticfiles_storage.url(name))
        except ValueError:  # not in the manifest (collectstatic not run)
            parts.append(name)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def forget_site(site_id: int) -> None:
    """Every cached page and fragment of one site is stale from now on."""
    _bump(_site_key(site_id))


def forget_all_sites(**_kwargs) -> None:
    """Every cached page and fragment of every site is stale from now on."""
    _bump(ALL_SITES_KEY)


def generation(site_id: int, extra: tuple[str, ...] = ()) -> tuple[int, int, dict]:
    """The (all sites, this site) versions, and the values of ``extra`` keys, in one
    round trip to the cache."""
    found = cache.get_many([ALL_SITES_KEY, _site_key(site_id), *extra])
    return found.get(ALL_SITES_KEY, 0), found.get(_site_key(site_id), 0), found


#: Site settings that most pages read (the header, the footer, the map of a location
#: question): kept in the cache with the site's pages, under the same versions.
CACHED_SITE_SETTINGS = ("cms.SiteBranding", "forms_builder.MapSettings")


def _setting_key(site_id: int, model) -> str:
    return f"loket:site-setting:{release()}:{site_id}:{model._meta.label_lower}"


def request_versions(request, site_id: int) -> tuple[int, int]:
    """The (all sites, this site) versions for ``request``: read once per request."""
    known = getattr(request, "_loket_versions", None)
    if known is not None and known[0] == site_id:
        return known[1]
    all_version, site_version, _found = generation(site_id)
    request._loket_versions = (site_id, (all_version, site_version))
    return all_version, site_version


def load_site_settings(request, site) -> list[tuple[str, type]]:
    """Put the :data:`CACHED_SITE_SETTINGS` of ``site`` that the cache holds where
    Wagtail's ``for_request`` looks first (an attribute of the request), and the
    versions where :func:`request_versions` finds them: one round trip to the cache
    instead of a query per setting and a round trip for the fragments' versions.
    Returns the (key, model) of the settings the cache did not hold."""
    from django.apps import apps

    models = {
        _setting_key(site.pk, model): model for model in map(apps.get_model, CACHED_SITE_SETTINGS)
    }
    all_version, site_version, found = generation(site.pk, tuple(models))
    versions = (all_version, site_version)
    request._loket_versions = (site.pk, versions)
    missing = []
    for key, model in models.items():
        entry = found.get(key)
        if entry is not None and entry[0] == versions:
            instance = entry[1]
            instance._request = request  # as Wagtail's for_request sets it
            setattr(request, model.get_cache_attr_name(), instance)
        else:
            missing.append((key, model))
    return missing


def store_site_settings(request, site, missing: list[tuple[str, type]]) -> None:
    """Keep the settings the request looked up itself (Wagtail's ``for_request``) for
    the next requests. When a setting was saved during the request (the lookup
    created it, or an editor saved one meanwhile), the versions have moved: the
    settings are read again after the new versions, so what is stored is never older
    than the versions it is stored under."""
    looked_up = [
        (key, model, getattr(request, model.get_cache_attr_name()))
        for key, model in missing
        if getattr(request, model.get_cache_attr_name(), None) is not None
    ]
    if not looked_up:
        return  # the request used none of them (a redirect): no round trip
    started = request._loket_versions[1]
    current = generation(site.pk)[:2]
    for key, model, instance in looked_up:
        if current != started:
            instance = model.for_site(site)
        cache.set(key, (current, instance), timeout=_timeout())


class SiteSettingsCacheMiddleware:
    """Site settings from the cache (:func:`load_site_settings`), for requests the
    page cache did not answer; after the site lookup. Only settings a request used
    are looked up in the database, and kept for the next ones."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site = getattr(request, "_wagtail_site", None)
        if site is None:
            return self.get_response(request)
        missing = load_site_settings(request, site)
        response = self.get_response(request)
        if missing:
            store_site_settings(request, site, missing)
        return response


def sites_of(page: Page) -> list[int]:
    """The ids of the sites whose tree holds ``page``."""
    return [
        site.pk
        for site in Site.objects.select_related("root_page").only("pk", "root_page__path")
        if page.path.startswith(site.root_page.path)
    ]


def forget_sites_of(page: Page) -> None:
    for site_id in sites_of(page):
        forget_site(site_id)


class CachedPageMixin(SitePathUrlMixin, ViewRestrictionsInOneQueryMixin):
    """For page types whose HTML is the same for every anonymous visitor of a site in
    one language: their responses may be stored by :class:`PageCacheMiddleware`.

    Do not use it on a page that reads the query string, the session or the user, or
    renders a form that posts (a CSRF token is per visitor: such a response is refused
    anyway).
    """

    def get_context(self, request, *args, **kwargs):
        # Wagtail asks for the context only once the before_serve_page hooks (the
        # privacy check among them) let the page be served; a preview is never stored.
        if not getattr(request, "is_preview", False):
            request._loket_page_cacheable = True
        return super().get_context(request, *args, **kwargs)


def _eligible(request) -> bool:
    return (
        getattr(settings, "LOKET_PAGE_CACHE", True)
        and request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in request.COOKIES
        and getattr(request, "_wagtail_site", None) is not None
    )


def _storable(request, response) -> bool:
    session = getattr(request, "session", None)
    return (
        getattr(request, "_loket_page_cacheable", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_USED")
        and not (session is not None and session.modified)
    )


class PageCacheMiddleware:
    """Answers anonymous GETs of cacheable pages from the cache (module docstring).

    Sits after the site lookup and the language choice, and before everything that
    needs the session or the user; the security headers, the request log and the
    session middleware are outside it and handle cached responses as any other.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _eligible(request):
            return self.get_response(request)
        site_id = request._wagtail_site.pk
        location = f"{request.scheme}://{request.get_host()}{request.path}"
        digest = hashlib.sha256(location.encode()).hexdigest()[:32]
        key = f"loket:page-cache:page:{release()}:{site_id}:{request.LANGUAGE_CODE}:{digest}"
        all_version, site_version, found = generation(site_id, (key,))
        entry = found.get(key)
        versions = (all_version, site_version)
        if entry is not None and entry["versions"] == versions:
            return self._from_entry(entry)
        response = self.get_response(request)
        if _storable(request, response):
            patch_vary_headers(response, ("Cookie",))
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in ("set-cookie", "content-length")
            ]
            cache.set(
                key,
                {"versions": versions, "content": response.content, "headers": headers},
                timeout=_timeout(),
            )
            response[HIT_HEADER] = "miss"
        else:
            response[HIT_HEADER] = "pass"
        return response

    @staticmethod
    def _from_entry(entry):
        from django.http import HttpResponse

        response = HttpResponse(entry["content"])
        for name, value in entry["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(response.content))
        response[HIT_HEADER] = "hit"
        return response


def _page_changed(sender, instance=None, **_kwargs) -> None:
    if isinstance(instance, Page):
        forget_sites_of(instance)


def _restriction_changed(sender, instance=None, **_kwargs) -> None:
    page = getattr(instance, "page", None)
    if page is not None:
        forget_sites_of(page)


def _setting_saved(sender, instance=None, **_kwargs) -> None:
    if isinstance(instance, BaseSiteSetting):
        forget_site(instance.site_id)
    elif isinstance(instance, BaseGenericSetting):
        forget_all_sites()


def connect_signals() -> None:
    from django.apps import apps
    from wagtail.images import get_image_model

    page_published.connect(_page_changed, dispatch_uid="loket-page-cache-publish")
    page_unpublished.connect(_page_changed, dispatch_uid="loket-page-cache-unpublish")
    post_delete.connect(_page_changed, dispatch_uid="loket-page-cache-page-delete")
    post_page_move.connect(forget_all_sites, dispatch_uid="loket-page-cache-move")
    appointment_type = apps.get_model("dossiers", "AppointmentType")
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_setting_saved, dispatch_uid=f"loket-page-cache-setting-{name}")
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"loket-page-cache-restriction-{name}",
        )
        for model in (Site, get_image_model(), appointment_type):
            signal.connect(
                forget_all_sites,
                sender=model,
                dispatch_uid=f"loket-page-cache-{model._meta.label_lower}-{name}",
            )
