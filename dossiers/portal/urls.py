"""Mijn loket, under /mijn-loket/ (namespace "portal")."""

from django.urls import path

from dossiers.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("aanmelden/", views.sign_in, name="sign_in"),
    path("aanmelden/<str:token>/", views.redeem, name="redeem"),
    path("afmelden/", views.sign_out, name="sign_out"),
    path("bevestigen/<str:token>/", views.confirm_email, name="confirm_email"),
]
