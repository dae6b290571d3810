from django.urls import path

from . import information_views, views

app_name = "dossiers"

urlpatterns = [
    path("<uuid:public_id>/<str:key>/", views.status_page, name="status"),
    path(
        "<uuid:public_id>/<str:key>/letter/<int:attachment_pk>/",
        views.decision_letter,
        name="decision_letter",
    ),
    path(
        "<uuid:public_id>/<str:key>/vraag/<int:request_id>/",
        information_views.answer_page,
        name="information_answer",
    ),
]
