"""Errors as RFC 9457 problem details (``application/problem+json``).

Every refusal of the API, whatever raised it (a wrong token, a scope, validation, a
refused transition, the rate limit, an unknown URL under /api/v1/, a method the
resource does not have), answers with::

    {"type": "about:blank", "title": "Not Found", "status": 404,
     "detail": "...", "instance": "/api/v1/dossiers/..."}

Validation errors add ``errors``: ``[{"field": "data.decision", "detail": "..."}]``
(the Belgian REST guidelines' "invalidParams" shape, named plainly).
"""

from __future__ import annotations

from http import HTTPStatus

from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

CONTENT_TYPE = "application/problem+json"
#: The problem types the API names itself (relative to the API's root).
TYPE_BASE = "https://loket.invalid/api/problems/"


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(status: int, detail: str, *, instance: str = "", **extra) -> dict:
    body = {"type": "about:blank", "title": _title(status), "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def _flatten(detail, prefix: str = "") -> list[dict]:
    """DRF's nested validation errors as a flat list of {field, detail}."""
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                name = prefix
            items += _flatten(value, name)
        return items
    if isinstance(detail, list):
        items = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                items += _flatten(value, f"{prefix}[{index}]" if prefix else str(index))
            else:
                items.append({"field": prefix, "detail": str(value)})
        return items
    return [{"field": prefix, "detail": str(detail)}]


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every API exception as a problem."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            response.status_code,
            str(_("The request has errors; see errors.")),
            instance=instance,
            errors=_flatten(exc.detail),
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        if isinstance(detail, dict | list):
            detail = "; ".join(item["detail"] for item in _flatten(detail))
        body = problem(response.status_code, str(detail), instance=instance)
    problem_response = Response(body, status=response.status_code, content_type=CONTENT_TYPE)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem_response[header] = response[header]
    return problem_response


def not_found(request, *args, **kwargs):
    """Any URL under /api/v1/ that names no resource (a plain Django view: no token
    needed to learn that nothing is there)."""
    body = problem(404, str(_("There is nothing at this address.")), instance=request.path)
    return JsonResponse(body, status=404, content_type=CONTENT_TYPE)


class ProblemSerializer(serializers.Serializer):
    """The shape of every error (for the OpenAPI document)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False)
    errors = serializers.ListField(child=serializers.DictField(), required=False)


#: The errors every operation may answer with; 400, 404 and 409 where they apply.
COMMON_ERRORS = {
    "401": "No token, a wrong token or a revoked one.",
    "403": "The token has no scope for this.",
    "429": "Too many calls; wait the seconds in Retry-After.",
}
ERRORS_PER_METHOD = {
    "get": {"404": "Not found (or not of this client's municipality)."},
    "post": {
        "400": "The request has errors.",
        "404": "Not found (or not of this client's municipality).",
        "409": "Not possible now (the dossier's status, or someone changed it meanwhile).",
    },
}


def add_problem_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the Problem component, and the problem
    responses on every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"field": {"type": "string"}, "detail": {"type": "string"}},
                },
            },
        },
        "required": ["type", "title", "status", "detail"],
    }
    reference = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = {**COMMON_ERRORS, **ERRORS_PER_METHOD.get(method, {})}
            if method == "get" and any(
                parameter.get("in") == "query" for parameter in operation.get("parameters", [])
            ):
                errors.setdefault("400", "A query parameter has an invalid value.")
            for code, description in errors.items():
                operation["responses"].setdefault(
                    code,
                    {"description": description, "content": {CONTENT_TYPE: {"schema": reference}}},
                )
    return result


def only_api_v1(endpoints):
    """drf-spectacular preprocessing hook: the document describes /api/v1/ only (Wagtail's
    admin API uses DRF as well)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
