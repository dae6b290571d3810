"""Builders for the API's tests: a site's form, its dossiers and client applications."""

from __future__ import annotations

import pytest
from wagtail.models import Site

from dossiers.models import ApiClient, ApiScope
from dossiers.services import submit_application
from forms_builder.schema import build_schema, freeze_schema
from tests.factories import terrace_answers

ALL_SCOPES = [scope.value for scope in ApiScope]


def make_client(*, scopes=ALL_SCOPES, name="Zaaksysteem", **extra) -> tuple[ApiClient, str]:
    """A client application of the default site and its token (shown once)."""
    client = ApiClient(
        name=name, site=Site.objects.get(is_default_site=True), scopes=list(scopes), **extra
    )
    token = client.new_token()
    client.save()
    return client, token


def submit(form_page, **overrides):
    """A dossier submitted the way the wizard submits one."""
    schema = build_schema(form_page)
    return submit_application(
        form_page=form_page,
        snapshot=freeze_schema(schema, form_page),
        answers=terrace_answers(schema, **overrides),
    )


@pytest.fixture
def api_client_and_token(form_page):
    return make_client()


@pytest.fixture
def auth(api_client_and_token):
    """The Authorization header of a client with every scope."""
    return {"HTTP_AUTHORIZATION": f"Bearer {api_client_and_token[1]}"}


@pytest.fixture
def dossier(form_page):
    return submit(form_page)
