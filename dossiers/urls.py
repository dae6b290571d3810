from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("<uuid:public_id>/<str:key>/", views.status_page, name="status"),
    path("<uuid:public_id>/<str:key>/withdraw/", views.withdraw, name="withdraw"),
    path("<uuid:public_id>/<str:key>/receipt/", views.receipt_pdf, name="receipt"),
    path(
        "<uuid:public_id>/<str:key>/file/<int:attachment_pk>/",
        views.applicant_file,
        name="file",
    ),
]
