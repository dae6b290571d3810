"""Security headers that Django's own SecurityMiddleware does not set.

- **Content-Security-Policy** (django-csp) on every response. The public site (pages,
  forms, status pages, Mijn loket, error pages) gets :data:`PUBLIC_POLICY`: scripts,
  styles, fonts and everything else from our own origin only, no inline script or style
  at all, no plugins, no framing. Our templates keep to that: JavaScript lives in static
  files and reads its data from ``data-`` attributes or ``<script type="application/json">``
  (``tests/core/test_security_headers.py`` checks the templates, the browser tests fail on
  any violation the browser reports).
- The Wagtail admin (``/admin/``), for signed-in staff, gets the same policy for scripts:
  Wagtail 8's inline widget initialisers are turned into data that a static script runs
  (cms/admin_scripts.py). It relaxes what Wagtail 8 still needs
  (:data:`ADMIN_RELAXATIONS`): ``style`` attributes in its templates and scripts
  (wagtail/wagtail#1288), ``blob:`` images (image previews), and framing by pages of the
  same origin (its preview panel). The admin's pages for visitors who are not signed in
  (sign-in, password reset) get the public policy unchanged.
- **Permissions-Policy**: the browser features Loket never uses are switched off.
  Geolocation stays allowed for our own pages: a location question offers "use my
  location" (forms_builder/static/forms_builder/js/location.js).

Public media (Wagtail images) on S3-compatible storage come from another origin:
``LOKET_CSP_MEDIA_SOURCES`` (derived from the storage settings, see
:func:`media_sources`) is added to ``img-src`` and ``media-src``.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import reverse

#: Browser features nobody filling in a form or processing a dossier needs.
PERMISSIONS_POLICY = ", ".join(
    ["geolocation=(self)"]
    + [
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "camera",
            "gyroscope",
            "magnetometer",
            "microphone",
            "payment",
            "usb",
        )
    ]
)


def media_sources(environ: Mapping[str, str]) -> list[str]:
    """Origins that serve public media, besides our own: ``LOKET_CSP_MEDIA_SOURCES``
    (comma-separated) when set, otherwise what the S3 settings imply."""
    explicit = environ.get("LOKET_CSP_MEDIA_SOURCES")
    if explicit is not None:
        return [source.strip() for source in explicit.split(",") if source.strip()]
    if (environ.get("LOKET_STORAGE") or "local").strip().lower() != "s3":
        return []
    custom_domain = (environ.get("AWS_S3_CUSTOM_DOMAIN") or "").strip()
    if custom_domain:
        return [f"https://{custom_domain}"]
    endpoint = (environ.get("AWS_S3_ENDPOINT_URL") or "").strip()
    bucket = (environ.get("AWS_STORAGE_BUCKET_NAME") or "").strip()
    if endpoint:
        parts = urlsplit(endpoint)
        origin = f"{parts.scheme}://{parts.netloc}"
        # Path-style URLs use the endpoint itself, virtual-hosted ones the bucket's host.
        return [origin, f"{parts.scheme}://{bucket}.{parts.netloc}"] if bucket else [origin]
    region = (environ.get("AWS_S3_REGION_NAME") or "").strip()
    sources = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        sources.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return sources


def public_policy(media: list[str], report_uri: str = "") -> dict:
    """The directives of the public site (CONTENT_SECURITY_POLICY["DIRECTIVES"])."""
    directives = {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *media],
        "media-src": [SELF, *media],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
    if report_uri:
        directives["report-uri"] = [report_uri]
    return directives


#: What the Wagtail admin adds to the public policy (see the module's docstring)...
ADMIN_RELAXATIONS = {
    "style-src": [UNSAFE_INLINE],
    "img-src": ["blob:"],
}
#: ...and replaces in it: its preview panel frames our own pages.
ADMIN_REPLACEMENTS = {"frame-ancestors": [SELF]}


def admin_prefix() -> str:
    return reverse("wagtailadmin_home")


def _signed_in(request) -> bool:
    """Whether a signed-in user asked (False when the response left before the
    authentication middleware, e.g. a database that is down)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's relaxations and a Permissions-Policy.

    A view's own ``@csp_update``/``@csp_replace``/``@csp_override`` still wins over the
    admin relaxations, as in django-csp.
    """

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and parts.update is None
            and parts.replace is None
            and request.path_info.startswith(admin_prefix())
            and _signed_in(request)
        ):
            parts.update = ADMIN_RELAXATIONS
            parts.replace = ADMIN_REPLACEMENTS
        images = getattr(response, "_loket_image_sources", None)
        if images and not report_only:
            update = dict(parts.update or {})
            update["img-src"] = [*update.get("img-src", []), *images]
            parts.update = update
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def allow_images_from(response, origins: list[str]) -> None:
    """Let ``response``'s page load images from ``origins`` too (the tiles of a map on
    another server), on top of its policy (the admin's relaxations included)."""
    response._loket_image_sources = [
        *getattr(response, "_loket_image_sources", []),
        *(origin for origin in origins if origin),
    ]


def add_headers_to_early_response(response) -> None:
    """For responses that leave before the middleware stack (the health endpoints)."""
    response.headers.setdefault(
        "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"
    )
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")


def private_page(response):
    """Headers for a page about one applicant (answers, a secret link in the page or in
    its address): never stored by a browser or proxy, never indexed, and its address
    never sent to another site. ("no-referrer" would do that too, but browsers then send
    "Origin: null" with the page's own forms, which Django's CSRF check refuses.)"""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response
