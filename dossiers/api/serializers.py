"""What the API sends: plain, stable shapes (docs/api.md). Amounts are decimal strings,
moments ISO 8601 with their offset."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dossiers.api.answers import answer_values
from dossiers.constants import Status


class FormVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    hash = serializers.CharField()
    created_at = serializers.DateTimeField()


class FormVersionDetailSerializer(FormVersionSerializer):
    schema = serializers.JSONField(help_text="The frozen schema dossiers were submitted against.")


class FormSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    reference_prefix = serializers.CharField()
    live = serializers.BooleanField()
    url = serializers.SerializerMethodField(help_text="The form's public address.")
    ipdc_code = serializers.CharField(
        allow_null=True,
        help_text=(
            "The product number (or concept id) of the form's service in the Flemish "
            "catalogue of products and services (IPDC/LPDC); null when not filled in."
        ),
    )

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, page) -> str:
        return page.full_url or ""


class FormDetailSerializer(FormSerializer):
    schema = serializers.JSONField(help_text="The form as it is published now.")
    versions = FormVersionSerializer(many=True)


class DossierSerializer(serializers.Serializer):
    """A dossier in a list: what a system needs to decide whether to fetch it."""

    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    form = serializers.IntegerField(source="form_page_id", allow_null=True)
    form_title = serializers.CharField()
    procedure = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    team = serializers.CharField(source="team.name", allow_null=True, default=None)
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    decision_due = serializers.DateField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    late = serializers.BooleanField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, dossier) -> str:
        request = self.context["request"]
        return request.build_absolute_uri(
            reverse("api:dossier", kwargs={"public_id": dossier.public_id})
        )


class ApplicantSerializer(serializers.Serializer):
    name = serializers.CharField(source="applicant_name")
    email = serializers.CharField(source="applicant_email")
    phone = serializers.CharField(source="applicant_phone")
    company_name = serializers.CharField()
    enterprise_number = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.CharField(source="decision_outcome")
    text = serializers.CharField(source="decision_text")
    decided_at = serializers.DateTimeField(allow_null=True)


class AnswerSerializer(serializers.Serializer):
    step = serializers.CharField()
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    value = serializers.CharField(help_text="The answer as the CSV export writes it.")


class FileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    kind = serializers.CharField()
    field = serializers.CharField(source="field_name")
    created_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment) -> str:
        return self.context["request"].build_absolute_uri(
            reverse(
                "api:file",
                kwargs={"public_id": self.context["dossier"].public_id, "pk": attachment.pk},
            )
        )


class EventSerializer(serializers.Serializer):
    type = serializers.CharField()
    at = serializers.DateTimeField(source="created_at")
    public = serializers.BooleanField(help_text="Whether the applicant sees it.")
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    transition = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_transition(self, event) -> str:
        return str((event.data or {}).get("transition", ""))


class DossierDetailSerializer(DossierSerializer):
    language = serializers.CharField()
    applicant = ApplicantSerializer(source="*")
    amount_due = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    calculations = serializers.JSONField()
    decision = DecisionSerializer(source="*")
    personal_data_erased_at = serializers.DateTimeField(allow_null=True)
    answers = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    events = EventSerializer(many=True)

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, dossier) -> list[dict]:
        client = self.context["request"].auth
        return answer_values(dossier, reveal_sensitive=client.reveal_sensitive)

    @extend_schema_field(FileSerializer(many=True))
    def get_files(self, dossier) -> list[dict]:
        context = {**self.context, "dossier": dossier}
        return FileSerializer(dossier.attachments.all(), many=True, context=context).data


class TransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField(help_text="The status the dossier gets.")
    requires = serializers.ListField(child=serializers.CharField())


class TransitionDataSerializer(serializers.Serializer):
    question = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    decision = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    authority = serializers.CharField(required=False, allow_blank=True, max_length=255)
    message = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class TransitionRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    expected_status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        help_text="The status you saw; when the dossier has another one now, 409.",
    )
    data = TransitionDataSerializer(required=False)


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sender = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    due_date = serializers.DateField()
    structured_reference = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)


class AppointmentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    type = serializers.CharField(source="appointment_type.name")
    desk = serializers.CharField(source="desk.name")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
