"""Resume links work once, and a draft remembers its submission (issue #13, items 3, 5).

- A resume link moves the draft into the opener's session and is used up: the session
  that held the draft before loses it, the link opened again shows a page that says it
  was used (never the draft), and the next "save and continue later" sends a new link.
- When the response after the submit's commit never reaches the browser, any later
  request of that session for the form shows the confirmation, never an empty step 1
  and never a second dossier.
"""

import re
from unittest import mock

import pytest
from django.core import mail
from django.test import Client

from dossiers.models import Dossier
from forms_builder import drafts
from forms_builder.models import Draft
from tests.conftest import make_form_page
from tests.forms_builder.test_wizard_flow import EVENT_STEPS, fill_first_step, post


@pytest.fixture
def event_page(home_page, team):
    return make_form_page(
        home_page, slug="evenement", reference_prefix="EVE", steps=EVENT_STEPS, team=team
    )


def ask_resume_link(client, page, email, capture, **answers) -> str:
    """Save the first step with "save and continue later", ask the link by e-mail; the
    path of the link in the e-mail."""
    fill_first_step(client, page, **{"1-naam": "Zomerfeest", "save_draft": "1", **answers})
    with capture(execute=True):
        response = client.post(page.url + "bewaren/", {"email": "an@example.be"})
    assert response.status_code == 200
    link = re.search(r"https?://\S+/hervatten/\S+/", mail.outbox[-1].body).group(0)
    return re.sub(r"^https?://[^/]+", "", link)


def step_one(client, page) -> str:
    response = client.get(page.url + "stap/1/")
    assert response.status_code == 200
    return response.content.decode()


# --- item 3: resume links work once ---------------------------------------------------------


@pytest.mark.django_db
def test_a_resume_link_works_once_and_a_second_opening_shows_no_draft(
    event_page, django_capture_on_commit_callbacks
):
    """The attack: the attacker sends the victim the attacker's own resume link; the
    victim continues and types their answers; the attacker opens the link again."""
    attacker = Client()
    link = ask_resume_link(
        attacker, event_page, "an@example.be", django_capture_on_commit_callbacks
    )

    victim = Client()
    assert victim.get(link).status_code == 302
    fill_first_step(victim, event_page, **{"1-naam": "Geheim feest van het slachtoffer"})

    again = Client().get(link)
    assert again.status_code == 410
    page = again.content.decode()
    assert "Deze link is al gebruikt" in page
    assert "Geheim feest" not in page
    assert Client().get(link, follow=True).content.decode().count("Geheim feest") == 0
    # The draft left the session that held it before the link was opened.
    assert "Geheim feest" not in step_one(attacker, event_page)
    check = attacker.get(event_page.url + "controleren/", follow=True).content.decode()
    assert "Geheim feest" not in check
    # The victim keeps it.
    assert "Geheim feest van het slachtoffer" in step_one(victim, event_page)


@pytest.mark.django_db
def test_the_next_save_sends_a_new_link_and_the_old_one_stays_used(
    event_page, django_capture_on_commit_callbacks
):
    first_device = Client()
    first_link = ask_resume_link(
        first_device, event_page, "an@example.be", django_capture_on_commit_callbacks
    )
    second_device = Client()
    second_device.get(first_link)
    second_link = ask_resume_link(
        second_device, event_page, "an@example.be", django_capture_on_commit_callbacks
    )
    assert second_link != first_link
    assert Client().get(first_link).status_code == 410
    third_device = Client()
    assert third_device.get(second_link).status_code == 302
    assert "Zomerfeest" in step_one(third_device, event_page)
    assert Draft.objects.count() == 1


@pytest.mark.django_db
def test_asking_a_new_link_makes_the_earlier_unused_one_stop_working(
    client, event_page, django_capture_on_commit_callbacks
):
    first = ask_resume_link(client, event_page, "an@example.be", django_capture_on_commit_callbacks)
    second = ask_resume_link(
        client, event_page, "an@example.be", django_capture_on_commit_callbacks
    )
    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 302


@pytest.mark.django_db
def test_a_link_that_is_incomplete_or_of_a_deleted_draft_says_so(
    client, event_page, django_capture_on_commit_callbacks
):
    link = ask_resume_link(client, event_page, "an@example.be", django_capture_on_commit_callbacks)
    Draft.objects.all().delete()
    response = Client().get(link)
    assert response.status_code == 404
    assert "Deze link werkt niet meer" in response.content.decode()


@pytest.mark.django_db
def test_a_session_from_before_holder_keys_keeps_its_draft_until_a_link_is_used(
    client, event_page, django_capture_on_commit_callbacks
):
    link = ask_resume_link(client, event_page, "an@example.be", django_capture_on_commit_callbacks)
    session = client.session
    session[drafts.SESSION_KEY] = {str(event_page.pk): drafts.session_draft_id(client, event_page)}
    session.save()
    assert "Zomerfeest" in step_one(client, event_page)
    Client().get(link)
    assert "Zomerfeest" not in step_one(client, event_page)


# --- item 5: a crash after the commit -------------------------------------------------------


def crash_after_commit(client, page):
    """Send the check page while the process "dies" after the dossier committed: the
    wizard raises where it would answer, so the browser gets no confirmation and the
    session is not saved (Django does not save the session of a 500)."""
    real = drafts.remember_draft

    def crash(request, page_, draft):
        if draft is None:
            raise RuntimeError("the process died after the commit")
        return real(request, page_, draft)

    client.raise_request_exception = False
    with mock.patch("forms_builder.drafts.remember_draft", side_effect=crash):
        response = client.post(page.url + "controleren/", {})
    client.raise_request_exception = True
    assert response.status_code == 500
    assert Dossier.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("retry", ["post_check", "get_start", "get_step", "get_check"])
def test_a_retry_after_a_crash_after_the_commit_shows_the_confirmation(
    client, event_page, retry, django_capture_on_commit_callbacks
):
    fill_first_step(client, event_page)
    post(client, event_page, "3", {"3-plaats": "Park"})
    crash_after_commit(client, event_page)
    dossier = Dossier.objects.get()

    url, method = {
        "post_check": (event_page.url + "controleren/", client.post),
        "get_start": (event_page.url, client.get),
        "get_step": (event_page.url + "stap/1/", client.get),
        "get_check": (event_page.url + "controleren/", client.get),
    }[retry]
    response = method(url, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert dossier.reference in html
    assert response.redirect_chain[-1][0].endswith("bevestiging/")
    # A second submit does not make a second dossier.
    client.post(event_page.url + "controleren/", {})
    assert Dossier.objects.count() == 1
    # Afterwards the form starts afresh for a new application.
    assert "Zomerfeest" not in step_one(client, event_page)


@pytest.mark.django_db
def test_the_resume_link_of_a_submitted_draft_shows_its_confirmation(
    client, event_page, django_capture_on_commit_callbacks
):
    link = ask_resume_link(client, event_page, "an@example.be", django_capture_on_commit_callbacks)
    post(client, event_page, "3", {"3-plaats": "Park"})
    crash_after_commit(client, event_page)
    other_device = Client()
    response = other_device.get(link, follow=True)
    assert Dossier.objects.get().reference in response.content.decode()
    assert Dossier.objects.count() == 1
