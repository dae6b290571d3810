"""A default answer from a prefill source (issue #15): an editor gives an unmapped
question the signed-in applicant's detail from Mijn loket as its default answer."""

import copy

import pytest

from forms_builder.fields import get_field_type
from tests.conftest import make_form_page
from tests.dossiers.test_portal import (  # noqa: F401 - fixtures
    AN,
    COMPANY_STEPS,
    ask_link,
    input_value,
    sign_in,
    submit_earlier,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_with_source_default(home_page, team):
    steps = copy.deepcopy(COMPANY_STEPS)
    accountant = steps[0]["value"]["fields"][-1]
    assert accountant["value"]["name"] == "boekhouder"
    accountant["value"]["default_kind"] = "applicant_account:applicant_email"
    return make_form_page(
        home_page, slug="premie-standaard", reference_prefix="PRS", steps=steps, team=team
    )


def test_editors_can_choose_a_detail_of_mijn_loket():
    block = get_field_type("email").get_block().child_blocks["default_kind"]
    assert "applicant_account:applicant_email" in dict(block.field.choices)


def test_the_signed_in_applicants_detail_is_the_default(client, sign_in, page_with_source_default):  # noqa: F811
    submit_earlier(page_with_source_default)
    sign_in(AN)
    html = client.get(page_with_source_default.url + "stap/1/").content.decode()
    assert input_value(html, "1-boekhouder") == AN


def test_without_a_signed_in_applicant_no_default(client, page_with_source_default):
    html = client.get(page_with_source_default.url + "stap/1/").content.decode()
    assert input_value(html, "1-boekhouder") is None
