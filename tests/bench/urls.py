"""The site's URLs plus the plain Django form the wizard is compared with (bench only)."""

from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns

from .plain_form import plain_form_view

urlpatterns = [
    path("bench/plain-form/", plain_form_view, name="bench_plain_form"),
    *site_urlpatterns,
]
