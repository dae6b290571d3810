from django.conf import settings
from django.urls import URLPattern, include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views import account as wagtail_account
from wagtail.documents import urls as wagtaildocs_urls

from cms import route_cache
from cms import views as cms_views
from cms.assistant import views as assistant_views
from cms.findable import views as findable_views
from core.ratelimit import limit_patterns, ratelimit, throttle_sign_in
from dossiers.permits import views as permit_views
from forms_builder import maps, street_views

#: Wagtail's password forms (private pages and documents) and its front-end login take
#: a password: a tight limit against guessing.
PASSWORD_PATTERNS = {
    "wagtailcore_authenticate_with_password": "password_per_client",
    "wagtailcore_login": "password_per_client",
    "wagtaildocs_authenticate_with_password": "password_per_client",
}

#: Wagtail's sign-in and "forgot password" forms with rate limits: the same addresses and
#: names as Wagtail's own, placed before them so that these answer.
ADMIN_SIGN_IN = [
    path(
        "admin/login/",
        # Per client first (every post counts), then wrong passwords per user name and
        # client: a guesser is slowed down, the officer still signs in from elsewhere.
        ratelimit("admin_sign_in_per_client")(
            throttle_sign_in("admin_sign_in")(wagtail_account.LoginView.as_view())
        ),
        name="wagtailadmin_login",
    ),
    path(
        "admin/password_reset/",
        ratelimit("admin_password_reset_per_client")(wagtail_account.PasswordResetView.as_view()),
        name="wagtailadmin_password_reset",
    ),
]

urlpatterns = [
    *ADMIN_SIGN_IN,
    path("admin/", include(wagtailadmin_urls)),
    path(
        "documents/",
        include(
            limit_patterns(
                wagtaildocs_urls.urlpatterns,
                "public_post_per_client",
                by_pattern_name=PASSWORD_PATTERNS,
            )
        ),
    ),
    path("dossier/", include("dossiers.urls")),
    # The REST API for the municipality's other systems (dossiers/api, docs/api.md).
    path("api/v1/", include("dossiers.api.urls")),
    path("mijn-loket/", include("dossiers.portal.urls")),
    path("afspraak/", include("dossiers.appointments.urls")),
    path("betalen/", include("dossiers.payments.urls")),
    # The public check of a permit, behind the QR code on it (issue #16).
    path("vergunning/<str:token>/", permit_views.verification, name="permit_verification"),
    path(
        "i18n/setlang/",
        ratelimit("language_per_client")(set_language),
        name="set_language",
    ),
    path("taal/<str:language>/", cms_views.choose_language, name="choose_language"),
    path("zoeken/", cms_views.search, name="search"),
    # Street suggestions of address questions "only in this municipality" (issue #18).
    path("straten/", street_views.street_suggestions, name="street_suggestions"),
    path("adressen/zoek/", street_views.address_search, name="address_search"),
    path("assistent/", assistant_views.assistant, name="assistant"),
    path("kaart/instellingen.json", maps.map_settings, name="location_map_settings"),
    path("huisstijl.css", cms_views.brand_stylesheet, name="brand_stylesheet"),
    path("sitemap.xml", findable_views.sitemap, name="sitemap"),
    path("robots.txt", findable_views.robots_txt, name="robots_txt"),
    path("favicon.ico", cms_views.favicon, name="favicon"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every page, with every step of every application form: one limit per client address
# on posts (core.ratelimit); forms_builder adds its own per draft and per e-mail address.
urlpatterns += [
    path(
        "",
        include(
            limit_patterns(
                [
                    # Routing from the cache (cms/route_cache.py), then Wagtail's own view.
                    URLPattern(
                        pattern.pattern, route_cache.serve, pattern.default_args, pattern.name
                    )
                    if pattern.name == "wagtail_serve"
                    else pattern
                    for pattern in wagtail_urls.urlpatterns
                ],
                "public_post_per_client",
                by_pattern_name=PASSWORD_PATTERNS,
            )
        ),
    )
]

# A database that is down gives a 503 "temporarily unavailable" page, not a 500.
handler500 = "core.errors.server_error"
