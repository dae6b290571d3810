"""schemathesis against the API's own OpenAPI document: no generated request gives a
500, and every answer matches the document (status, content type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings

from dossiers.models import Attachment, Message
from tests.dossiers.api.conftest import make_client, submit

RAW_SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(RAW_SCHEMA)
application = get_wsgi_application()
schema.app = application

#: Bounded so that the whole run stays well under a minute.
MAX_EXAMPLES = 12


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI application closes the database connection after each request; within
    a test transaction it must not (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(form_page):
    dossier = submit(form_page)
    Message.objects.create(dossier=dossier, sender="applicant", body="Vraag")
    return make_client()[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
    derandomize=True,
)
def test_api_matches_its_document(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db
def test_a_real_dossier_matches_the_document(form_page):
    dossier = submit(form_page)
    Attachment.objects.create(dossier=dossier, file="x/plan.pdf", original_name="plan.pdf")
    token = make_client()[1]
    headers = {"Authorization": f"Bearer {token}"}
    for path in (
        "/api/v1/dossiers/{public_id}/",
        "/api/v1/dossiers/{public_id}/transitions/",
        "/api/v1/dossiers/{public_id}/messages/",
    ):
        case = schema[path]["GET"].Case(path_parameters={"public_id": str(dossier.public_id)})
        response = case.call_and_validate(headers=headers)
        assert response.status_code == 200
    listed = schema["/api/v1/dossiers/"]["GET"].Case()
    assert listed.call_and_validate(headers=headers).status_code == 200
