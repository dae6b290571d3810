"""Files on a step with a repeatable part survive adding and removing items (issue #15):
the add and remove buttons are plain submit buttons (no JavaScript), and a file chosen
before pressing one is held in the draft like the file of a refused step."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.conftest import make_form_page
from tests.files import PDF

pytestmark = pytest.mark.django_db


def field(type_id, label, name, **options):
    return {"type": type_id, "value": {"label": label, "name": name, "required": True, **options}}


STEPS = [
    {
        "type": "step",
        "value": {
            "title": "Het evenement",
            "intro": "",
            "fields": [
                field("email", "E-mail", "email", maps_to="applicant_email"),
                field(
                    "file_upload",
                    "Plan van het evenement",
                    "plan",
                    multiple=False,
                    allowed_types=["pdf"],
                    max_file_mb=1,
                    max_total_mb=2,
                    max_files=1,
                ),
                {
                    "type": "repeatable",
                    "value": {
                        "label": "Dagen",
                        "name": "dagen",
                        "help_text": "",
                        "item_name": "dag",
                        "min_items": 1,
                        "max_items": 3,
                        "fields": [field("date", "Datum", "datum")],
                    },
                },
            ],
        },
    }
]


@pytest.fixture
def page(home_page, team):
    return make_form_page(
        home_page, slug="met-plan", reference_prefix="PLA", steps=STEPS, team=team
    )


def day(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def post(client, page, data):
    management = {f"loket-form-{page.pk}-current_step": "1"}
    return client.post(page.url + "stap/1/", {**management, **data})


def step_values(*dates) -> dict:
    data = {"1-email": "an@example.be", "1-dagen": str(len(dates))}
    data.update({f"1-dagen-{index}-datum": date for index, date in enumerate(dates)})
    return data


def held_files(client, page) -> list[str]:
    form = client.get(page.url + "stap/1/").context["form"]
    return [kept["name"] for kept in getattr(form.fields["plan"].widget, "existing", [])]


def test_a_file_chosen_before_adding_and_removing_an_item_is_kept(client, page):
    plan = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    added = post(client, page, {**step_values(day(30)), "1-plan": plan, "1-dagen-add": "1"})
    assert added.status_code == 302 and added.url.endswith("#id_1-dagen-items-1")
    assert held_files(client, page) == ["plan.pdf"]

    removed = post(client, page, {**step_values(day(30), day(31)), "1-dagen-remove": "1"})
    assert removed.status_code == 302
    assert held_files(client, page) == ["plan.pdf"]

    # Sent as a whole without choosing the file again: the held file answers the question.
    sent = post(client, page, step_values(day(30)))
    assert sent.status_code == 302 and "controleren" in sent.url
    check = client.get(sent.url).content.decode()
    assert "plan.pdf" in check


def test_a_refused_file_chosen_before_adding_is_not_held(client, page):
    fake = SimpleUploadedFile("plan.pdf", b"not a pdf", content_type="application/pdf")
    post(client, page, {**step_values(day(30)), "1-plan": fake, "1-dagen-add": "1"})
    assert held_files(client, page) == []
    refused = post(client, page, step_values(day(30), day(31)))
    assert refused.status_code == 200
    assert refused.context["form"].errors["plan"]
