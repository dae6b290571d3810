from django.urls import include, path
from wagtail import urls as wagtail_urls

from . import views

urlpatterns = [
    path("bare/form/", views.bare_form),
    path("", include(wagtail_urls)),
]
