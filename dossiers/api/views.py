"""The API's resources. Every view derives from :class:`ApiView`, which logs each call
(dossiers.models.ApiCall) and scopes what a client sees to its site.

Writes go through the same use cases as the back office: a status change is
``dossiers.workflow.transition()`` with the officer's rules. Messages, payments and
appointments are read-only: writing them here would bypass their own lifecycles.
"""

from __future__ import annotations

import datetime
import time

from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce, Substr
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.models import ServicePage
from dossiers import workflow
from dossiers.api import problems
from dossiers.api import serializers as s
from dossiers.api.authentication import ClientTokenAuthentication
from dossiers.api.permissions import HasScope
from dossiers.api.throttling import ClientRateThrottle
from dossiers.applicant.downloads import download_response
from dossiers.constants import OFFICER, Status
from dossiers.exceptions import ActionRefused, ConcurrentChange
from dossiers.models import (
    ApiCall,
    ApiScope,
    Appointment,
    Attachment,
    Dossier,
    Event,
    Message,
    PaymentRequest,
)
from forms_builder.models import ApplicationFormPage, FormSnapshot
from forms_builder.schema import build_schema

#: Transitions the back office makes on a screen of their own, because they write more
#: than the status (the same list as dossiers.admin.views.OWN_SCREENS).
OWN_SCREENS = ("propose_to_college",)


class ApiView(APIView):
    """The base of every resource: logs the call when the answer is final."""

    authentication_classes = [ClientTokenAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [ClientRateThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    #: ``{method: scope}`` the call needs (dossiers.api.permissions.HasScope).
    required_scopes: dict[str, str] = {}

    def get_exception_handler(self):
        return problems.exception_handler

    def dispatch(self, request, *args, **kwargs):
        self._started = time.monotonic()
        return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        ApiCall.objects.create(
            client=getattr(request, "api_client", None),
            method=request.method[:10],
            path=request.get_full_path()[:500],
            status=response.status_code,
            duration_ms=int(
                (time.monotonic() - getattr(self, "_started", time.monotonic())) * 1000
            ),
        )
        return response

    def site_dossiers(self):
        """The dossiers of the client's site (the municipality they belong to)."""
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return Dossier.objects.none()
        return Dossier.objects.filter(site_id=self.request.auth.site_id)

    def get_dossier(self, queryset=None) -> Dossier:
        queryset = self.site_dossiers() if queryset is None else queryset
        return get_object_or_404(queryset, public_id=self.kwargs["public_id"])


class NotFoundView(ApiView):
    """Every address under /api/v1/ that names no resource."""

    permission_classes: list = []
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound(_("There is nothing at this address."))


# --- forms ---------------------------------------------------------------------------


class FormList(ApiView, generics.ListAPIView):
    """The application forms of the client's site, published or not."""

    required_scopes = {"GET": ApiScope.FORMS_READ}
    serializer_class = s.FormSerializer
    pagination_class = None

    def get_queryset(self):
        root = self.request.auth.site.root_page
        forms = ApplicationFormPage.objects.descendant_of(root, inclusive=True)
        return forms.annotate(ipdc_code=service_ipdc_code()).order_by("pk")


def service_ipdc_code():
    """The IPDC/LPDC product number of a form's service, as an annotation: that of the
    service page whose button opens the form, else that of the service page the form
    sits under; NULL when neither has one."""
    with_code = ServicePage.objects.exclude(ipdc_code="").order_by("pk").values("ipdc_code")
    linked = with_code.filter(form_page=OuterRef("pk"))
    parent = with_code.filter(
        depth=OuterRef("depth") - 1,
        path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * ServicePage.steplen),
    )
    return Coalesce(Subquery(linked[:1]), Subquery(parent[:1]))


class FormDetail(ApiView, generics.RetrieveAPIView):
    """A form: its schema as published now and its versions (frozen schemas)."""

    required_scopes = {"GET": ApiScope.FORMS_READ}
    serializer_class = s.FormDetailSerializer

    def get_object(self):
        form = get_object_or_404(FormList.get_queryset(self), pk=self.kwargs["pk"])
        form.schema = build_schema(form)
        form.versions = FormSnapshot.objects.filter(page_id=form.pk).order_by("-created_at", "-pk")
        return form


class FormVersionDetail(ApiView, generics.RetrieveAPIView):
    """One version of a form: the frozen schema its dossiers were submitted against."""

    required_scopes = {"GET": ApiScope.FORMS_READ}
    serializer_class = s.FormVersionDetailSerializer

    def get_object(self):
        form = get_object_or_404(FormList.get_queryset(self), pk=self.kwargs["pk"])
        return get_object_or_404(FormSnapshot, page_id=form.pk, pk=self.kwargs["version"])


# --- dossiers --------------------------------------------------------------------------


class DossierPagination(CursorPagination):
    ordering = ("-submitted_at", "-pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """``page_size`` between 1 and :attr:`max_page_size`; anything else is refused
        (a 400 problem), not silently replaced."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
        return parameters


@extend_schema_field({"type": "string", "minLength": 1})
class TextFilter(filters.CharFilter):
    """A text filter that needs a value (see DossierFilter.is_valid)."""


class MomentFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 moment, compared in UTC (PostgreSQL refuses offsets past 15:59 that
    ISO 8601 and Python accept)."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(datetime.UTC)
            except OverflowError:
                raise exceptions.ValidationError(
                    {self.field_name: [_("This moment is out of range.")]}
                ) from None
        return super().filter(qs, value)


class DossierFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Status.choices)
    form = filters.NumberFilter(field_name="form_page_id")
    reference = TextFilter(field_name="reference", lookup_expr="iexact")
    submitted_after = MomentFilter(field_name="submitted_at", lookup_expr="gte")
    submitted_before = MomentFilter(field_name="submitted_at", lookup_expr="lt")
    updated_after = MomentFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Dossier
        fields = ["status", "form", "reference"]

    def is_valid(self):
        """Also refuse a filter given without a value (``?status=``): a mistake in the
        caller's code should not silently give every dossier."""
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and not any(v.strip() for v in self.data.getlist(name)):
                self.form.add_error(name, _("Give a value or leave the parameter out."))
                valid = False
        return valid


class DossierList(ApiView, generics.ListAPIView):
    """Dossiers of the client's site, newest first, a page at a time (follow ``next``)."""

    required_scopes = {"GET": ApiScope.DOSSIERS_READ}
    serializer_class = s.DossierSerializer
    pagination_class = DossierPagination
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = DossierFilter

    def get_queryset(self):
        return self.site_dossiers().select_related("team")


class DossierDetail(ApiView, generics.RetrieveAPIView):
    """One dossier: its applicant, answers (as the export writes them), files (links to
    download them), decision and timeline."""

    required_scopes = {"GET": ApiScope.DOSSIERS_READ}
    serializer_class = s.DossierDetailSerializer

    def get_object(self):
        queryset = (
            self.site_dossiers()
            .select_related("team", "snapshot")
            .prefetch_related(
                Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "pk")),
                Prefetch("events", queryset=Event.objects.order_by("created_at", "pk")),
            )
        )
        return self.get_dossier(queryset)


class DossierFile(ApiView):
    """Download one file of a dossier (the same safe download as the back office)."""

    required_scopes = {"GET": ApiScope.DOSSIERS_READ}

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, public_id, pk):
        dossier = self.get_dossier()
        attachment = get_object_or_404(Attachment, dossier=dossier, pk=pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise exceptions.NotFound(_("This file is no longer there.")) from None
        return download_response(
            handle, filename=attachment.original_name, content_type=attachment.content_type
        )


class DossierTransitions(ApiView):
    """The status changes possible now (GET), and making one (POST), with the same rules
    as an officer of the dossier's team in the back office."""

    required_scopes = {"GET": ApiScope.DOSSIERS_READ, "POST": ApiScope.DOSSIERS_TRANSITION}

    @staticmethod
    def possible(dossier) -> list:
        return [
            t for t in workflow.available_transitions(dossier, OFFICER) if t.name not in OWN_SCREENS
        ]

    @extend_schema(responses=s.TransitionSerializer(many=True))
    def get(self, request, public_id):
        dossier = self.get_dossier()
        data = [
            {"name": t.name, "label": str(t.label), "target": t.target, "requires": t.requires}
            for t in self.possible(dossier)
        ]
        return Response(s.TransitionSerializer(data, many=True).data)

    @extend_schema(
        request=s.TransitionRequestSerializer,
        responses={200: s.DossierSerializer, 409: OpenApiResponse(description="Refused now.")},
    )
    def post(self, request, public_id):
        dossier = self.get_dossier()
        body = s.TransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        name = body.validated_data["name"]
        spec = workflow.TRANSITIONS.get(name)
        if spec is None or name in OWN_SCREENS:
            raise exceptions.ValidationError({"name": [_("This action does not exist here.")]})
        data = dict(body.validated_data.get("data") or {})
        missing = [key for key in spec.requires if not str(data.get(key, "")).strip()]
        if missing:
            raise exceptions.ValidationError(
                {
                    "data": {
                        key: [_("Fill in the text that goes with this action.")] for key in missing
                    }
                }
            )
        data["api_client"] = request.auth.name
        try:
            dossier = workflow.transition(
                dossier,
                name,
                actor_kind=OFFICER,
                expected_status=body.validated_data.get("expected_status"),
                data=data,
            )
        except ConcurrentChange as exc:
            return _conflict(request, str(exc))
        except ActionRefused as exc:
            return _conflict(request, str(exc))
        return Response(s.DossierSerializer(dossier, context={"request": request}).data)


def _conflict(request, detail: str) -> Response:
    return Response(
        problems.problem(status.HTTP_409_CONFLICT, detail, instance=request.path),
        status=status.HTTP_409_CONFLICT,
        content_type=problems.CONTENT_TYPE,
    )


class DossierPart(ApiView, generics.ListAPIView):
    """A list of things that hang off one dossier, oldest first."""

    pagination_class = None

    def get_queryset(self):
        dossier = self.get_dossier()
        return self.part_queryset(dossier)

    def part_queryset(self, dossier):
        raise NotImplementedError


class DossierMessages(DossierPart):
    """The messages between the applicant and the municipality."""

    required_scopes = {"GET": ApiScope.MESSAGES_READ}
    serializer_class = s.MessageSerializer

    def part_queryset(self, dossier):
        return Message.objects.filter(dossier=dossier).order_by("created_at", "pk")


class DossierPayments(DossierPart):
    """The payment requests of the dossier."""

    required_scopes = {"GET": ApiScope.PAYMENTS_READ}
    serializer_class = s.PaymentSerializer

    def part_queryset(self, dossier):
        return PaymentRequest.objects.filter(dossier=dossier).order_by("created_at", "pk")


class DossierAppointments(DossierPart):
    """The appointments made about the dossier."""

    required_scopes = {"GET": ApiScope.APPOINTMENTS_READ}
    serializer_class = s.AppointmentSerializer

    def part_queryset(self, dossier):
        return (
            Appointment.objects.filter(dossier=dossier)
            .select_related("appointment_type", "desk")
            .order_by("starts_at", "pk")
        )
