"""Addresses of paying online outside a dossier's link: the providers' webhooks and
the test provider's checkout (``/betalen/...``, included by cms/urls.py)."""

from django.urls import path

from dossiers.payments import online_views

app_name = "payments"

urlpatterns = [
    path("webhook/<slug:provider_id>/", online_views.webhook, name="webhook"),
    path("test/<str:reference>/", online_views.test_checkout, name="test_checkout"),
]
