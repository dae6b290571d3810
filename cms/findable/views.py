"""``/sitemap.xml`` and ``/robots.txt``, both for the Site that was asked for."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Site

from .metadata import site_root_url, step_page_models

#: Screens that are nobody's business but the applicant's or the municipality's: the
#: admin, the status pages behind secret links and Mijn loket (see cms/urls.py).
PRIVATE_PATHS = ("/admin/", "/dossier/", "/mijn-loket/")


class FindablePages(Sitemap):
    """Wagtail's sitemap of the Site (public live pages only), without form steps."""

    def items(self):
        return super().items().not_type(*step_page_models())


@require_safe
def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": FindablePages})


def form_paths(request) -> list[str]:
    """The address of every live form of this Site: each of its steps lies under it."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    paths = []
    for model in step_page_models():
        for page in model.objects.live().descendant_of(site.root_page, inclusive=True):
            parts = page.get_url_parts(request)
            if parts is not None and parts[0] == site.pk:
                paths.append(parts[2])
    return sorted(paths)


@require_safe
def robots_txt(request):
    """Crawlers may read the public pages; the private screens and the forms not."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in (*PRIVATE_PATHS, *form_paths(request))]
    lines += ["", f"Sitemap: {site_root_url(request)}{reverse('sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
