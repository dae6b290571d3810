"""Privacy of the choices for letters (e-mail, paper with a postal address, eBox) and of
the letters on paper (issue #22's gap): a request finds, exports and erases them; the
retention deletes superseded choices and empties the addresses of old printed letters."""

import datetime
import json

import pytest
from django.conf import settings
from django.utils import timezone

from dossiers import privacy
from dossiers.correspondence import history, preferences
from dossiers.models import (
    AttachmentKind,
    ContactPreference,
    Dossier,
    Notification,
    PostedLetter,
    PrintBatch,
)
from dossiers.privacy import erasure
from dossiers.privacy import tasks as privacy_tasks
from forms_builder.models import ApplicationFormPage
from tests.dossiers.test_privacy_requests import AN, exported, post
from tests.dossiers.test_privacy_retention import add_attachment, build_dossier
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CAFE = "0403170701"
HOEKJE = "0202239951"
ADDRESS = "De Markt BV\nKerkstraat 3\n9000 Gent"
NOW = timezone.now()


@pytest.fixture
def admin(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True, first_name="Ada")


def choose(channel="paper", *, number=CAFE, email="", address=ADDRESS, by=AN, months_ago=0):
    """Record a choice, as given ``months_ago`` months (and a day) ago."""
    choice = preferences.record_preference(
        channel=channel,
        enterprise_number=number,
        email=email,
        postal_address=address if channel == "paper" else "",
        given_via="Mijn loket",
        given_by=by,
    )
    if months_ago:
        given = privacy.months_before(NOW, months_ago) - datetime.timedelta(days=1)
        ContactPreference.objects.filter(pk=choice.pk).update(given_at=given)
    return choice


def printed_letter(dossier, *, months_ago: int, address=ADDRESS) -> PostedLetter:
    """A paper letter of ``dossier`` in a batch printed ``months_ago`` months ago."""
    made = privacy.months_before(NOW, months_ago) - datetime.timedelta(days=1)
    batch = PrintBatch.objects.create(created_at=made, sent_at=made)
    letter = add_attachment(dossier, AttachmentKind.DECISION_LETTER, f"brief-{months_ago}.pdf")
    return PostedLetter.objects.create(
        dossier=dossier,
        attachment=letter,
        channel="paper",
        recipient=address,
        created_at=made,
        batch=batch,
        sent_at=made,
    )


# --- requests ------------------------------------------------------------------------


def test_an_enterprise_number_finds_the_enterprises_choices():
    old, new = choose(months_ago=3), choose("email")
    choose(number=HOEKJE, by="jan@hethoekje.be")

    found = privacy.find(privacy.parse_search_term("BE 0403.170.701"))

    assert [each.pk for each in found.preferences] == [new.pk, old.pk]
    assert {each.found_as for each in found.preferences} == {"own"}


def test_an_email_address_finds_the_persons_own_choice_and_the_choices_it_gave():
    own = choose(number="", email="An@CafeDeMarkt.be", by="An Peeters")
    given = choose(by=AN.upper())
    choose(number=HOEKJE, by="jan@hethoekje.be")
    choose(number="", email="jan@hethoekje.be", by="Jan")

    found = privacy.find(privacy.parse_search_term(AN))

    assert {(each.pk, each.found_as) for each in found.preferences} == {
        (own.pk, "own"),
        (given.pk, "given_by"),
    }


def test_the_export_holds_the_choices_and_the_letters_sent_by_post(client, admin, form_page):
    dossier = build_dossier(form_page, officer=admin, closed_months_ago=3)
    printed_letter(dossier, months_ago=2)
    choose(number="", email=AN, by="An Peeters")
    client.force_login(admin)

    data, _archive = exported(post(client, "export", AN))

    (choice,) = data["letter_preferences"]
    assert (choice["found_as"], choice["channel"], choice["postal_address"]) == (
        "own",
        "paper",
        ADDRESS,
    )
    (letter,) = data["dossiers"][0]["letters_by_post"]
    assert (letter["channel"], letter["recipient"]) == ("paper", ADDRESS)
    assert letter["printed_at"] is not None and letter["sent_at"] is not None


def test_the_export_holds_the_delivery_history_of_the_persons_messages(client, admin, form_page):
    dossier = build_dossier(form_page, officer=admin, closed_months_ago=3)
    letter = printed_letter(dossier, months_ago=2)
    own = Notification.objects.create(
        dossier=dossier, kind="decision", recipient=AN.upper(), subject="Uw beslissing", body="."
    )
    other = Notification.objects.create(
        dossier=dossier, kind="message", recipient="jan@hethoekje.be", subject="Voor Jan", body="."
    )
    history.record(
        dossier_id=dossier.pk, channel="email", result="bounced", notification=own, detail="550"
    )
    history.record(dossier_id=dossier.pk, channel="email", result="sent", notification=other)
    history.record(dossier_id=dossier.pk, channel="paper", result="posted", letter=letter)
    client.force_login(admin)

    data, _archive = exported(post(client, "export", AN))

    steps = data["dossiers"][0]["delivery_history"]
    assert [(step["channel"], step["result"]) for step in steps] == [
        ("email", "bounced"),
        ("paper", "posted"),
    ]
    assert steps[0]["message"] == "Uw beslissing" and steps[0]["detail"] == "550"
    assert steps[1]["letter"] == "brief-2.pdf"
    assert "Voor Jan" not in json.dumps(data, ensure_ascii=False)


def test_the_search_screen_lists_the_choices_in_dutch(client, admin):
    choose(number="", email=AN, by="An Peeters")
    client.force_login(admin)

    page = post(client, "search", AN).content.decode()

    assert "Keuzes voor brieven" in page
    assert "Kerkstraat 3" in page and "eigen keuze" in page
    # Only a choice was found: it can still be downloaded and erased.
    assert 'value="confirm"' in page
    confirm = post(client, "confirm", AN).content.decode()
    assert "Hun eigen keuzes voor brieven (met het postadres) worden verwijderd." in confirm


def test_erasure_by_email_deletes_the_own_choice_and_who_gave_the_enterprises(client, admin):
    own = choose(number="", email=AN, by="An Peeters")
    given = choose(by=AN)
    other = choose(number="", email="jan@hethoekje.be", by="Jan")
    client.force_login(admin)

    response = post(client, "erase", AN, confirm="on", reason="Verzoek 2026-015")

    assert response.status_code == 302
    assert not ContactPreference.objects.filter(pk=own.pk).exists()
    kept = ContactPreference.objects.get(pk=given.pk)
    # The enterprise's choice stays (it is the company's), without who gave it.
    assert (kept.given_by, kept.postal_address, kept.channel) == ("", ADDRESS, "paper")
    assert ContactPreference.objects.get(pk=other.pk).given_by == "Jan"


def test_erasure_by_enterprise_number_deletes_its_choices(client, admin):
    choose(months_ago=3)
    choose("email")
    other = choose(number=HOEKJE, by="jan@hethoekje.be")
    client.force_login(admin)

    post(client, "erase", "0403.170.701", confirm="on", reason="Verzoek 2026-016")

    assert list(ContactPreference.objects.all()) == [other]


def test_erasing_a_dossier_leaves_no_address_of_its_letters(form_page, admin):
    dossier = build_dossier(form_page, officer=admin, closed_months_ago=3)
    printed_letter(dossier, months_ago=2)

    privacy.erase_personal_data(dossier.pk, cause=privacy.REQUEST)

    assert not PostedLetter.objects.filter(dossier=dossier).exclude(recipient="").exists()


# --- retention -----------------------------------------------------------------------


def test_superseded_choices_go_once_the_newer_choice_is_older_than_the_history():
    oldest = choose(months_ago=40)
    middle = choose("email", months_ago=30)  # replaced 30 months ago: oldest goes
    current = choose(months_ago=1)  # replaced middle only a month ago: middle stays
    lonely = choose(number=HOEKJE, months_ago=60)  # the only choice: always kept
    person_old = choose(number="", email=AN, months_ago=50)
    person_new = choose("email", number="", email=AN, months_ago=26)

    assert set(erasure.superseded_preferences()) == {oldest, person_old}
    assert erasure.erase_expired_contact_data()["preferences"] == 2
    assert set(ContactPreference.objects.all()) == {middle, current, lonely, person_new}
    assert preferences.current_preference(enterprise_number=CAFE) == current
    assert erasure.erase_expired_contact_data()["preferences"] == 0


def test_the_history_of_choices_can_be_kept(settings):
    settings.LOKET_PREFERENCE_HISTORY_MONTHS = 0
    choose(months_ago=40)
    choose("email", months_ago=30)

    assert erasure.erase_expired_contact_data()["preferences"] == 0
    assert ContactPreference.objects.count() == 2


def test_addresses_of_printed_letters_go_after_the_dossiers_retention(form_page, admin):
    # Still being handled (e.g. reopened): the dossier keeps its data, the old letter
    # does not keep the address it was posted to.
    dossier = build_dossier(form_page, officer=admin, closed_months_ago=None)
    old = printed_letter(dossier, months_ago=25)
    recent = printed_letter(dossier, months_ago=3)
    waiting = PostedLetter.objects.create(
        dossier=dossier,
        attachment=add_attachment(dossier, AttachmentKind.DECISION_LETTER, "wacht.pdf"),
        channel="paper",
        recipient=ADDRESS,
    )

    assert list(erasure.expired_letter_addresses()) == [old]
    assert erasure.erase_expired_contact_data()["letters"] == 1

    old.refresh_from_db()
    assert old.recipient == "" and old.batch_id is not None and old.sent_at is not None
    assert PostedLetter.objects.get(pk=recent.pk).recipient == ADDRESS
    assert PostedLetter.objects.get(pk=waiting.pk).recipient == ADDRESS
    assert Dossier.objects.get(pk=dossier.pk).applicant_name == "An Peeters"


def test_the_forms_retention_counts_for_its_letters(form_page, admin):
    dossier = build_dossier(form_page, officer=admin, closed_months_ago=None)
    letter = printed_letter(dossier, months_ago=25)
    ApplicationFormPage.objects.filter(pk=form_page.pk).update(retention_months=0)  # for ever
    assert erasure.erase_expired_contact_data()["letters"] == 0

    ApplicationFormPage.objects.filter(pk=form_page.pk).update(retention_months=36)
    assert erasure.erase_expired_contact_data()["letters"] == 0

    ApplicationFormPage.objects.filter(pk=form_page.pk).update(retention_months=12)
    assert erasure.erase_expired_contact_data()["letters"] == 1
    assert PostedLetter.objects.get(pk=letter.pk).recipient == ""


def test_the_clean_up_runs_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["erase-expired-contact-data"]
    assert entry["task"] == privacy_tasks.erase_expired_contact_data.name
    assert entry["schedule"].hour == {3}
    choose(months_ago=40)
    choose("email", months_ago=30)
    assert privacy_tasks.erase_expired_contact_data() == {
        "letters": 0,
        "preferences": 1,
    }
