from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("dossier/", include("dossiers.urls")),
    path("mijn-loket/", include("dossiers.portal.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("zoeken/", cms_views.search, name="search"),
    path("huisstijl.css", cms_views.brand_stylesheet, name="brand_stylesheet"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# A database that is down gives a 503 "temporarily unavailable" page, not a 500.
handler500 = "cms.errors.server_error"
