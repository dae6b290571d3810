"""Appointments, under /afspraak/ (namespace "appointments")."""

from django.urls import path

from dossiers.appointments import invitation_views, views

app_name = "appointments"

urlpatterns = [
    path("", views.choose_type, name="start"),
    path("kalender/<str:token>.ics", views.officer_feed, name="officer_feed"),
    path(
        "uitnodiging/<uuid:public_id>/<str:key>/",
        invitation_views.invitation_day,
        name="invitation",
    ),
    path(
        "uitnodiging/<uuid:public_id>/<str:key>/tijd/<str:start>/",
        invitation_views.invitation_confirm,
        name="invitation_confirm",
    ),
    path(
        "uitnodiging/<uuid:public_id>/<str:key>/<str:day>/",
        invitation_views.invitation_time,
        name="invitation_time",
    ),
    path("<uuid:public_id>/<str:key>/", views.manage, name="manage"),
    path("<uuid:public_id>/<str:key>/annuleren/", views.cancel, name="cancel"),
    path("<uuid:public_id>/<str:key>/verplaatsen/", views.move_day, name="move"),
    path(
        "<uuid:public_id>/<str:key>/verplaatsen/tijd/<str:start>/",
        views.move_confirm,
        name="move_confirm",
    ),
    path("<uuid:public_id>/<str:key>/verplaatsen/<str:day>/", views.move_time, name="move_time"),
    path("<slug:slug>/", views.choose_day, name="day"),
    path("<slug:slug>/<str:day>/", views.choose_time, name="time"),
    path("<slug:slug>/tijd/<str:start>/", views.details, name="details"),
]
