from django.urls import path

from dossiers.advice import views as advice_views
from dossiers.applicant import views
from dossiers.information import views as information_views
from dossiers.payments import online_views
from dossiers.payments import views as payment_views
from dossiers.permits import views as permit_views
from dossiers.reports import views as report_views

app_name = "dossiers"

urlpatterns = [
    # Before the status link: "advies" is no UUID, but keep the party's pages first.
    path("advies/<uuid:public_id>/<str:key>/", advice_views.answer_page, name="advice"),
    path(
        "advies/<uuid:public_id>/<str:key>/bestand/<int:attachment_pk>/",
        advice_views.shared_file,
        name="advice_file",
    ),
    path("meldingen/kaart/", report_views.public_map, name="report_map"),
    path("melding/partij/<uuid:link_id>/<str:key>/", report_views.party_page, name="report_party"),
    path("<uuid:public_id>/<str:key>/", views.status_page, name="status"),
    path("<uuid:public_id>/<str:key>/heropenen/", report_views.reopen, name="report_reopen"),
    path("<uuid:public_id>/<str:key>/intrekken/", views.withdraw, name="withdraw"),
    path("<uuid:public_id>/<str:key>/ontvangstbewijs/", views.receipt_pdf, name="receipt"),
    path(
        "<uuid:public_id>/<str:key>/betaling/",
        payment_views.payment_request_pdf,
        name="payment_request",
    ),
    path("<uuid:public_id>/<str:key>/vergunning/", permit_views.permit_pdf, name="permit"),
    path(
        "<uuid:public_id>/<str:key>/online-betalen/",
        online_views.start,
        name="online_payment",
    ),
    path(
        "<uuid:public_id>/<str:key>/online-betalen/<int:payment_id>/terug/",
        online_views.payment_return,
        name="online_payment_return",
    ),
    path(
        "<uuid:public_id>/<str:key>/bestand/<int:attachment_pk>/",
        views.applicant_file,
        name="file",
    ),
    path(
        "<uuid:public_id>/<str:key>/vraag/<int:request_id>/",
        information_views.answer_page,
        name="information_answer",
    ),
]
