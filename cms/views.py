"""Views of the public site that are not pages: the search, the brand colours."""

import functools

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_safe
from wagtail.models import Site

from core.colours import brand_version, safe_colour

from . import search as site_search
from .forms import SearchForm

RESULTS_PER_PAGE = 10


@require_safe
def search(request):
    """Search the services and topics of the Site that was asked for."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    site = Site.find_for_request(request)
    root = site.root_page if site else None
    context = {"form": form, "query": query}
    if query:
        paginator = Paginator(site_search.search_services(root, query), RESULTS_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("pagina"))
        context.update(
            page_obj=page_obj,
            services=site_search.service_hits(page_obj.object_list, query),
            topics=site_search.search_topics(root, query) if page_obj.number == 1 else [],
            result_count=paginator.count,
            query_string=urlencode({"q": query}),
        )
    return TemplateResponse(request, "cms/search_results.html", context)


@require_safe
def brand_stylesheet(request):
    """The Site's brand colours as CSS custom properties.

    A stylesheet of its own rather than a ``<style>`` element in every page, so that the
    Content-Security-Policy needs no inline styles (core/security.py). Its address carries
    the colours (``?v=``, :func:`core.colours.brand_version`), so browsers may keep it for
    a year.
    """
    from .models import SiteBranding
    from .models.branding import DEFAULT_BRAND_COLOUR, DEFAULT_BRAND_COLOUR_DARK

    branding = SiteBranding.for_request(request)
    # Validated when saved (core.colours); checked again, as it goes into CSS unescaped.
    brand = safe_colour(branding.brand_colour, DEFAULT_BRAND_COLOUR)
    dark = safe_colour(branding.brand_colour_dark, DEFAULT_BRAND_COLOUR_DARK)
    css = f":root {{ --color-brand: {brand}; --color-brand-dark: {dark}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    if request.GET.get("v") == brand_version(branding):
        patch_cache_control(response, public=True, max_age=365 * 24 * 60 * 60, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=5 * 60)
    return response


@require_safe
def favicon(request):
    """``/favicon.ico``: browsers ask for it on every page, whatever the page links to;
    the theme's icon, cached for a day."""
    response = HttpResponse(_favicon_bytes(), content_type="image/vnd.microsoft.icon")
    patch_cache_control(response, public=True, max_age=86400)
    return response


@functools.cache
def _favicon_bytes() -> bytes:
    with open(finders.find("theme/favicon.ico"), "rb") as icon:
        return icon.read()


@require_safe
def choose_language(request, language: str):
    """The footer's language links: remember the choice in the language cookie (as
    Django's ``set_language`` does) and go back to the page the visitor was on.

    A link, not a form that posts: public pages come from a shared cache
    (cms/page_cache.py) and so carry no per-visitor CSRF token. Choosing a language
    changes nothing but the visitor's own cookie, so a GET is safe.
    """
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    patch_cache_control(response, no_store=True)
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
