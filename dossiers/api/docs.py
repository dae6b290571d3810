"""The OpenAPI 3 document (drf-spectacular) and the page that shows it (Swagger UI from
drf-spectacular-sidecar's static files: nothing from another origin, no inline script).
Both are public: they describe the API, they hold no data."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView

from dossiers.api.throttling import ClientRateThrottle


class SchemaView(SpectacularAPIView):
    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [ClientRateThrottle]
    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]
    urlconf = None


@require_GET
def docs_page(request):
    return TemplateResponse(
        request, "dossiers/api/docs.html", {"schema_url": reverse("api:schema")}
    )
