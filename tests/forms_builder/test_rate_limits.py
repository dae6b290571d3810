"""Rate limits on filling in a form: per draft, on sending, on e-mailing a resume link.

People never meet them; a refused post loses nothing, and after the window the
applicant goes on where they were.
"""

import time

import pytest
from django.core import mail

from core import ratelimit
from dossiers.models import Dossier
from forms_builder.models import Draft
from tests.conftest import make_form_page
from tests.forms_builder.test_wizard_flow import EVENT_STEPS, fill_first_step, post


@pytest.fixture
def event_page(home_page, team):
    return make_form_page(
        home_page, slug="evenement", reference_prefix="EVE", steps=EVENT_STEPS, team=team
    )


def set_limit(settings, name, limit, window=600):
    settings.LOKET_RATE_LIMITS = {**settings.LOKET_RATE_LIMITS, name: (limit, window)}


def later(monkeypatch, seconds):
    """Move the rate limits' clock ``seconds`` on (a new window starts)."""
    now = time.time()
    monkeypatch.setattr(ratelimit.time, "time", lambda: now + seconds)


def assert_refused(response, back_url):
    assert response.status_code == 429
    content = response.content.decode()
    assert "Te veel pogingen" in content
    assert "Wat u al verstuurde, is niet verloren" in content
    assert f'href="{back_url}"' in content


@pytest.mark.django_db
def test_a_ten_step_form_with_errors_on_every_step_stays_below_the_limits(client, home_page, team):
    steps = [
        {
            "type": "step",
            "value": {
                "title": f"Stap {number}",
                "intro": "",
                "fields": [
                    {
                        "type": "integer",
                        "value": {"label": "Getal", "name": f"getal{number}", "required": True},
                    }
                ],
            },
        }
        for number in range(1, 11)
    ]
    page = make_form_page(home_page, slug="tien", reference_prefix="TIE", steps=steps, team=team)
    for number in range(1, 11):
        for wrong in ("", "twee", "3,5"):  # three mistakes on every step
            response = post(client, page, str(number), {f"{number}-getal{number}": wrong})
            assert response.status_code == 200
        response = post(client, page, str(number), {f"{number}-getal{number}": "7"})
        assert response.status_code == 302
        client.get(response.url)
    response = client.post(page.url + "controleren/", {})

    assert response.status_code == 302
    assert Dossier.objects.count() == 1


@pytest.mark.django_db
def test_over_the_limit_of_a_draft_nothing_is_lost_and_later_the_applicant_goes_on(
    client, event_page, settings, monkeypatch
):
    set_limit(settings, "form_post_per_draft", 3)
    fill_first_step(client, event_page, music="yes", **{"1-welke_muziek": "Jazz"})
    step_two = event_page.url + "stap/2/"
    for _ in range(3):
        assert post(client, event_page, "2", {"2-decibel": "500"}).status_code == 200

    refused = post(client, event_page, "2", {"2-decibel": "90"})

    assert_refused(refused, step_two)
    draft = Draft.objects.get()
    assert draft.data["extra_data"]["answers"]["1"]["naam"] == "Zomerfeest"
    assert "2" not in draft.data["extra_data"]["answers"]
    # Looking is not limited: the step and the first answers are still there.
    assert client.get(step_two).status_code == 200
    assert "Zomerfeest" in client.get(event_page.url + "stap/1/").content.decode()

    later(monkeypatch, 600)
    assert post(client, event_page, "2", {"2-decibel": "90"}).status_code == 302
    assert post(client, event_page, "3", {"3-plaats": "Park"}).status_code == 302
    assert client.post(event_page.url + "controleren/", {}).status_code == 302
    dossier = Dossier.objects.get()
    answers = {key: value for step in dossier.answers.values() for key, value in step.items()}
    assert answers["naam"] == "Zomerfeest" and answers["decibel"] == 90


@pytest.mark.django_db
def test_another_draft_is_not_hindered_by_a_busy_one(client, event_page, settings):
    set_limit(settings, "form_post_per_draft", 2)
    fill_first_step(client, event_page)
    for _ in range(2):
        post(client, event_page, "3", {"3-plaats": "Nergens"})
    assert post(client, event_page, "3", {"3-plaats": "Park"}).status_code == 429

    other = client.__class__()
    fill_first_step(other, event_page)
    assert post(other, event_page, "3", {"3-plaats": "Park"}).status_code == 302


@pytest.mark.django_db
def test_sending_is_limited_per_client(client, event_page, settings):
    set_limit(settings, "form_submit_per_client", 1, 3600)
    fill_first_step(client, event_page)
    post(client, event_page, "3", {"3-plaats": "Park"})
    assert client.post(event_page.url + "controleren/", {}).status_code == 302

    fill_first_step(client, event_page)
    post(client, event_page, "3", {"3-plaats": "Markt"})
    refused = client.post(event_page.url + "controleren/", {})

    assert_refused(refused, event_page.url + "controleren/")
    assert Dossier.objects.count() == 1
    assert Draft.objects.filter(submitted_dossier_id__isnull=True).count() == 1


@pytest.mark.django_db
def test_sending_is_limited_per_e_mail_address(client, event_page, settings):
    set_limit(settings, "form_submit_per_address", 1, 3600)
    for address, expected in (
        ("an@example.be", 302),
        ("AN@example.be ", 429),
        ("bo@example.be", 302),
    ):
        applicant = client.__class__(REMOTE_ADDR=f"10.0.0.{len(address)}")
        fill_first_step(applicant, event_page, **{"1-email": address})
        post(applicant, event_page, "3", {"3-plaats": "Park"})
        response = applicant.post(event_page.url + "controleren/", {})
        assert response.status_code == expected, address

    assert Dossier.objects.count() == 2


def ask_resume_link(client, page, email):
    fill_first_step(client, page, **{"1-naam": "Feest", "save_draft": "1"})
    return client.post(page.url + "bewaren/", {"email": email})


@pytest.mark.django_db
def test_resume_links_are_limited_per_e_mail_address(
    client, event_page, settings, django_capture_on_commit_callbacks
):
    set_limit(settings, "resume_link_per_address", 2, 3600)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(2):
            applicant = client.__class__(REMOTE_ADDR=f"10.0.1.{number}")
            assert ask_resume_link(applicant, event_page, "an@example.be").status_code == 200
        refused = ask_resume_link(client.__class__(), event_page, "An@Example.be")

    assert_refused(refused, event_page.url + "bewaren/")
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_resume_links_are_limited_per_client(
    client, event_page, settings, django_capture_on_commit_callbacks
):
    set_limit(settings, "resume_link_per_client", 2, 3600)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(2):
            response = ask_resume_link(client, event_page, f"persoon{number}@example.be")
            assert response.status_code == 200
        refused = ask_resume_link(client, event_page, "persoon9@example.be")

    assert_refused(refused, event_page.url + "bewaren/")
    assert len(mail.outbox) == 2
    # The draft was saved before the refused e-mail: it is still there.
    assert Draft.objects.get().data["extra_data"]["answers"]["1"]["naam"] == "Feest"
