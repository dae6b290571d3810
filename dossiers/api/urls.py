"""/api/v1/: the resources, the OpenAPI document and its readable docs."""

from django.urls import path, re_path

from dossiers.api import docs, views

app_name = "api"

urlpatterns = [
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.docs_page, name="docs"),
    path("forms/", views.FormList.as_view(), name="forms"),
    path("forms/<int:pk>/", views.FormDetail.as_view(), name="form"),
    path(
        "forms/<int:pk>/versions/<int:version>/",
        views.FormVersionDetail.as_view(),
        name="form_version",
    ),
    path("dossiers/", views.DossierList.as_view(), name="dossiers"),
    path("dossiers/<uuid:public_id>/", views.DossierDetail.as_view(), name="dossier"),
    path("dossiers/<uuid:public_id>/files/<int:pk>/", views.DossierFile.as_view(), name="file"),
    path(
        "dossiers/<uuid:public_id>/transitions/",
        views.DossierTransitions.as_view(),
        name="transitions",
    ),
    path("dossiers/<uuid:public_id>/messages/", views.DossierMessages.as_view(), name="messages"),
    path("dossiers/<uuid:public_id>/payments/", views.DossierPayments.as_view(), name="payments"),
    path(
        "dossiers/<uuid:public_id>/appointments/",
        views.DossierAppointments.as_view(),
        name="appointments",
    ),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not_found"),
]
