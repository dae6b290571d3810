"""/api/v1/: the resources, the OpenAPI document and its readable docs."""

from django.urls import path, re_path

from core.ratelimit import limited_in_view
from dossiers.api import docs, views
from dossiers.api.throttling import LIMIT_NAME

#: Every view counts its calls against the API's limit (ClientRateThrottle, per client
#: application); the mark tells tests/cms/test_public_posts.py so.
limited = limited_in_view(LIMIT_NAME)

app_name = "api"

urlpatterns = [
    path("schema/", limited(docs.SchemaView.as_view()), name="schema"),
    path("docs/", docs.docs_page, name="docs"),
    path("forms/", limited(views.FormList.as_view()), name="forms"),
    path("forms/<int:pk>/", limited(views.FormDetail.as_view()), name="form"),
    path(
        "forms/<int:pk>/versions/<int:version>/",
        limited(views.FormVersionDetail.as_view()),
        name="form_version",
    ),
    path("dossiers/", limited(views.DossierList.as_view()), name="dossiers"),
    path("dossiers/<uuid:public_id>/", limited(views.DossierDetail.as_view()), name="dossier"),
    path(
        "dossiers/<uuid:public_id>/files/<int:pk>/",
        limited(views.DossierFile.as_view()),
        name="file",
    ),
    path(
        "dossiers/<uuid:public_id>/transitions/",
        limited(views.DossierTransitions.as_view()),
        name="transitions",
    ),
    path(
        "dossiers/<uuid:public_id>/messages/",
        limited(views.DossierMessages.as_view()),
        name="messages",
    ),
    path(
        "dossiers/<uuid:public_id>/payments/",
        limited(views.DossierPayments.as_view()),
        name="payments",
    ),
    path(
        "dossiers/<uuid:public_id>/appointments/",
        limited(views.DossierAppointments.as_view()),
        name="appointments",
    ),
    re_path(r"^.*$", limited(views.NotFoundView.as_view()), name="not_found"),
]
