from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("<uuid:public_id>/<str:key>/", views.status_page, name="status"),
    path(
        "<uuid:public_id>/<str:key>/letter/<int:attachment_pk>/",
        views.decision_letter,
        name="decision_letter",
    ),
]
