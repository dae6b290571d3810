"""Factories and small builders for tests: build only the data a test needs."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail.models import Site

from dossiers.constants import Status
from dossiers.models import Dossier
from dossiers.workflow import FINAL_STATUSES
from forms_builder.models import FormSnapshot
from forms_builder.schema import schema_hash

#: A one-step schema, enough for a dossier whose answers nobody looks at.
MINIMAL_SCHEMA = {
    "version": 1,
    "title": "Aanvraag terrasvergunning",
    "reference_prefix": "TER",
    "steps": [
        {
            "id": "step-1",
            "title": "Uw onderneming",
            "intro": "",
            "fields": [
                {
                    "id": "field-1",
                    "type": "short_text",
                    "name": "naam",
                    "label": "Uw naam",
                    "help_text": "",
                    "required": True,
                    "maps_to": "applicant_name",
                    "options": {"max_length": 200},
                }
            ],
        }
    ],
}


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@voorbeeld.be")


class FormSnapshotFactory(DjangoModelFactory):
    class Meta:
        model = FormSnapshot
        django_get_or_create = ("hash",)

    schema = factory.LazyFunction(lambda: MINIMAL_SCHEMA)
    hash = factory.LazyAttribute(lambda snapshot: schema_hash(snapshot.schema))


class DossierFactory(DjangoModelFactory):
    """A dossier in any status, as if the workflow had brought it there."""

    class Meta:
        model = Dossier

    reference = factory.Sequence(lambda n: f"TER-2026-{n + 1:05d}")
    form_title = "Aanvraag terrasvergunning"
    #: The default site's municipality, whose dossiers the test teams handle.
    site = factory.LazyFunction(lambda: Site.objects.filter(is_default_site=True).first())
    snapshot = factory.SubFactory(FormSnapshotFactory)
    answers = factory.LazyFunction(lambda: {"step-1": {"naam": "An Peeters"}})
    applicant_name = "An Peeters"
    applicant_email = "an@cafedemarkt.be"
    #: Proven, as if submitted while signed in to Mijn loket (None: not proven).
    email_verified_at = factory.LazyFunction(timezone.now)
    company_name = "Café De Markt"
    status = Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    closed_at = factory.LazyAttribute(
        lambda dossier: timezone.now() if dossier.status in FINAL_STATUSES else None
    )


def terrace_answers(schema: dict, **overrides) -> dict:
    """Valid answers to the demo terrace form, keyed by step id like the wizard does.

    ``overrides`` replace answers by field name, e.g. ``email="jan@hethoekje.be"``.
    """
    step1, step2 = (step["id"] for step in schema["steps"])
    answers = {
        step1: {
            "bedrijfsnaam": "Café De Markt",
            "naam": "An Peeters",
            "email": "an@cafedemarkt.be",
        },
        step2: {
            "adres": "Markt 1, 9999 Voorbeeld",
            "oppervlakte": 24,
            "startdatum": "2026-04-01",
            "soort": "Open terras",
            "opmerkingen": "",
        },
    }
    for step_answers in answers.values():
        for name in step_answers.keys() & overrides.keys():
            step_answers[name] = overrides[name]
    return answers


def field_block(type_id: str, label: str, name: str = "", *, required=True, **options) -> dict:
    """Raw StreamField data of one form field, as an editor fills it in."""
    return {
        "type": type_id,
        "value": {"label": label, "name": name, "required": required, **options},
    }


def step_block(title: str, *fields: dict) -> dict:
    """Raw StreamField data of one step holding ``fields``."""
    return {"type": "step", "value": {"title": title, "intro": "", "fields": list(fields)}}
