"""Mijn loket, under /mijn-loket/ (namespace "portal")."""

from django.urls import path

from dossiers.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("onderneming/", views.company, name="company"),
    path("brieven/", views.letter_preference, name="letter_preference"),
    path("aanmelden/", views.sign_in, name="sign_in"),
    path("aanmelden/overheid/", views.oidc_start, name="oidc_start"),
    path("aanmelden/overheid/terug/", views.oidc_callback, name="oidc_callback"),
    path("aanmelden/overheid/medewerker/", views.oidc_staff_start, name="oidc_staff_start"),
    path("aanmelden/<str:token>/", views.redeem, name="redeem"),
    path("afmelden/", views.sign_out, name="sign_out"),
    path("bevestigen/<str:token>/", views.confirm_email, name="confirm_email"),
]
