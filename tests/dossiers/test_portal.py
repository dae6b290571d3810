"""Mijn loket: passwordless sign-in, the applicant's overview, sign-out and prefill.

Applicants are driven through the real pages with the test client; the sign-in link is
read from the e-mail, as an applicant would.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers import services as dossier_services
from dossiers.constants import Status
from dossiers.models import Dossier, SignInToken
from dossiers.portal import identity, tokens
from dossiers.portal.tasks import send_sign_in_link
from forms_builder.models import Draft
from forms_builder.schema import freeze_schema
from tests.conftest import make_form_page
from tests.factories import DossierFactory

SIGN_IN_URL = "/mijn-loket/aanmelden/"
OVERVIEW_URL = "/mijn-loket/"
SIGN_OUT_URL = "/mijn-loket/afmelden/"
LINK_RE = re.compile(r"https?://\S+/mijn-loket/aanmelden/(?P<token>[A-Za-z0-9_-]+)/(\?\S*)?")

AN = "an@cafedemarkt.be"
JAN = "jan@hethoekje.be"


@pytest.fixture
def ask_link(client, django_capture_on_commit_callbacks):
    """Ask for a sign-in link for ``email``; returns the response."""

    def ask(email, *, browser=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return (browser or client).post(SIGN_IN_URL, {"email": email, **extra})

    return ask


def last_link(email: str) -> tuple[str, str]:
    """(path with query, token) of the newest sign-in link e-mailed to ``email``."""
    message = [m for m in mail.outbox if m.to == [email]][-1]
    match = LINK_RE.search(message.body)
    assert match, message.body
    url = match.group(0)
    path = url[url.index("/mijn-loket/") :]
    return path, match.group("token")


@pytest.fixture
def sign_in(client, ask_link):
    """Sign ``email`` in on ``client`` through the e-mailed link."""

    def sign_in_as(email, *, browser=None):
        browser = browser or client
        ask_link(email, browser=browser)
        path, _token = last_link(email)
        response = browser.post(path)
        assert response.status_code == 302, response.content.decode()
        return response

    return sign_in_as


def visible_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- asking for a link -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sign_in_page_asks_for_one_email_address(client):
    response = client.get(SIGN_IN_URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields) == ["email"]
    assert 'type="email"' in response.content.decode()
    assert (
        response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]
    )


@pytest.mark.django_db
def test_asking_for_a_link_emails_one_and_stores_only_its_hash(ask_link, settings):
    DossierFactory(applicant_email=AN)
    before = timezone.now()

    response = ask_link("  An@CafeDeMarkt.be ")

    assert response.status_code == 200
    assert "dossiers/portal/check_email.html" in [t.name for t in response.templates]
    [message] = mail.outbox
    assert message.to == [AN]
    path, token = last_link(AN)
    assert message.body.count(settings.LOKET_BASE_URL.rstrip("/") + path) == 1
    assert len(token) >= 43  # 32 random bytes, URL-safe base64

    row = SignInToken.objects.get()
    assert row.email == AN
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(value) for value in SignInToken.objects.values_list().get()]
    assert not any(token in value for value in stored), "the token itself is never stored"
    minutes = settings.LOKET_SIGNIN_LINK_MINUTES
    assert before + datetime.timedelta(minutes=minutes - 1) < row.expires_at
    assert row.expires_at <= timezone.now() + datetime.timedelta(minutes=minutes)
    assert row.used_at is None


@pytest.mark.django_db
def test_known_and_unknown_addresses_get_the_same_answer(ask_link):
    DossierFactory(applicant_email=AN)
    unknown = "nobody@example.be"

    known_response = ask_link(AN)
    unknown_response = ask_link(unknown)

    def normalised(response):
        html = response.content.decode()
        html = html.replace(AN, "ADDRESS").replace(unknown, "ADDRESS")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert known_response.status_code == unknown_response.status_code == 200
    assert normalised(known_response) == normalised(unknown_response)
    # Both get a link: what happens behind the page is the same too.
    assert sorted(message.to[0] for message in mail.outbox) == sorted([AN, unknown])
    assert SignInToken.objects.count() == 2


@pytest.mark.django_db
def test_a_wrong_address_is_explained_and_sends_nothing(client):
    response = client.post(SIGN_IN_URL, {"email": "an-at-cafedemarkt.be"})
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    assert response.context["form"].errors["email"]
    assert not SignInToken.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_the_link_email_is_in_the_visitors_language(client, ask_link, settings):
    ask_link(AN)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    ask_link(JAN)
    dutch, english = mail.outbox
    assert dutch.body.startswith("Goedendag,")
    assert english.body.startswith("Hello,")


# --- using the link ------------------------------------------------------------------------


@pytest.mark.django_db
def test_opening_the_link_only_asks_to_confirm(client, ask_link):
    """Mail scanners open links: a GET never signs in or uses the link up."""
    ask_link(AN)
    path, _token = last_link(AN)

    response = client.get(path)

    assert response.status_code == 200
    assert "dossiers/portal/confirm.html" in [t.name for t in response.templates]
    assert '<form method="post"' in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin", "the link never leaves the site"
    assert SignInToken.objects.get().used_at is None
    assert client.get(OVERVIEW_URL).status_code == 302


@pytest.mark.django_db
def test_confirming_signs_in_with_a_new_session_key(client, ask_link):
    client.get(SIGN_IN_URL)
    ask_link(AN)
    key_before = client.session.session_key
    path, _token = last_link(AN)

    response = client.post(path)

    assert response.status_code == 302
    assert response["Location"] == OVERVIEW_URL
    assert client.session.session_key != key_before, "the session key is rotated"
    assert client.session[identity.SESSION_KEY]["identity"]["email"] == AN
    assert client.get(OVERVIEW_URL).status_code == 200
    assert SignInToken.objects.get().used_at is not None


@pytest.mark.django_db
def test_a_link_works_only_once(client, ask_link):
    ask_link(AN)
    path, _token = last_link(AN)
    assert client.post(path).status_code == 302

    other_browser = client.__class__()
    again = other_browser.post(path)

    assert again.status_code == 404
    assert "dossiers/portal/link_invalid.html" in [t.name for t in again.templates]
    assert reverse("portal:sign_in") in again.content.decode()
    assert other_browser.get(path).status_code == 404
    assert other_browser.get(OVERVIEW_URL).status_code == 302


@pytest.mark.django_db
def test_an_expired_link_does_not_work(client, ask_link):
    ask_link(AN)
    path, _token = last_link(AN)
    SignInToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    assert client.get(path).status_code == 404
    response = client.post(path)

    assert response.status_code == 404
    assert "dossiers/portal/link_invalid.html" in [t.name for t in response.templates]
    assert client.get(OVERVIEW_URL).status_code == 302
    assert SignInToken.objects.get().used_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["x", "a" * 43, "a" * 200])
def test_an_unknown_link_does_not_work(client, token):
    assert client.get(f"{SIGN_IN_URL}{token}/").status_code == 404
    assert client.post(f"{SIGN_IN_URL}{token}/").status_code == 404


@pytest.mark.django_db
def test_the_link_is_not_emailed_once_it_is_used(ask_link, client):
    ask_link(AN)
    path, token = last_link(AN)
    client.post(path)
    row = SignInToken.objects.get()
    mail.outbox.clear()

    assert send_sign_in_link.apply(args=(row.pk, token)).get() is False
    assert send_sign_in_link.apply(args=(row.pk, "forged")).get() is False
    assert not mail.outbox


@pytest.mark.django_db
def test_after_signing_in_the_applicant_goes_where_they_were_going(client, ask_link):
    response = client.get(OVERVIEW_URL + "?x=1")
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN_URL}?next=%2Fmijn-loket%2F%3Fx%3D1"

    ask_link(AN, next="/mijn-loket/?x=1")
    path, _token = last_link(AN)
    assert "next=" in path
    assert client.post(path)["Location"] == "/mijn-loket/?x=1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_next_never_leaves_the_site(client, ask_link, next_url):
    ask_link(AN, next=next_url)
    path, _token = last_link(AN)
    assert "evil" not in path
    assert client.post(path + "?next=" + next_url)["Location"] == OVERVIEW_URL


@pytest.mark.django_db
def test_the_link_still_goes_out_when_the_broker_is_down(ask_link, monkeypatch):
    from kombu.exceptions import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(send_sign_in_link, "apply_async", refuse)
    assert ask_link(AN).status_code == 200
    assert last_link(AN)


# --- rate limits ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_requests_for_one_address_are_limited(ask_link, settings):
    limit, _window = settings.LOKET_SIGNIN_LIMITS["request_per_address"]
    for _ in range(limit):
        assert ask_link(AN).status_code == 200

    refused = ask_link(AN.upper())

    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert len(mail.outbox) == limit
    assert ask_link(JAN).status_code == 200, "another address is not refused"


@pytest.mark.django_db
def test_requests_from_one_client_are_limited(ask_link, settings):
    settings.LOKET_SIGNIN_LIMITS = {**settings.LOKET_SIGNIN_LIMITS, "request_per_client": (3, 3600)}
    for number in range(3):
        assert ask_link(f"applicant{number}@example.be").status_code == 200

    refused = ask_link("applicant9@example.be")

    assert refused.status_code == 429
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_using_links_from_one_client_is_limited(client, ask_link, settings):
    settings.LOKET_SIGNIN_LIMITS = {**settings.LOKET_SIGNIN_LIMITS, "redeem_per_client": (3, 900)}
    ask_link(AN)
    path, _token = last_link(AN)
    for guess in range(3):
        assert client.post(f"{SIGN_IN_URL}guess{guess}/").status_code == 404

    assert client.post(path).status_code == 429
    assert SignInToken.objects.get().used_at is None, "a refused request uses nothing up"


# --- the overview --------------------------------------------------------------------------


def make_draft(page, email, **fields):
    snapshot = freeze_schema(page.get_schema(), page=page)
    return Draft.objects.create(page=page, snapshot=snapshot, email=email, **fields)


@pytest.mark.django_db
def test_the_overview_asks_to_sign_in_first(client):
    response = client.get(OVERVIEW_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN_URL + "?next=")


@pytest.mark.django_db
def test_the_overview_lists_exactly_the_applicants_dossiers_and_drafts(client, sign_in, form_page):
    mine = [
        DossierFactory(applicant_email=AN, status=Status.IN_REVIEW),
        DossierFactory(applicant_email="AN@CafeDeMarkt.BE", status=Status.APPROVED),
    ]
    other = DossierFactory(applicant_email=JAN, form_title="Evenement van Jan")
    my_draft = make_draft(form_page, "An@cafedemarkt.be")
    make_draft(form_page, JAN)
    make_draft(form_page, AN, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    make_draft(form_page, AN, submitted_dossier_id=mine[0].pk)

    sign_in(AN)
    response = client.get(OVERVIEW_URL)

    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]
    )
    html = response.content.decode()
    assert {d.reference for d in response.context["dossiers"]} == {d.reference for d in mine}
    for dossier in mine:
        assert dossier.get_status_url() in html
    assert other.reference not in html and other.get_status_url() not in html
    assert "Evenement van Jan" not in html
    assert [draft for draft, _url in response.context["drafts"]] == [my_draft]
    assert form_page.resume_path(my_draft) in html
    assert html.count("/hervatten/") == 1


@pytest.mark.django_db
def test_a_dossier_waiting_for_the_applicant_says_action_is_needed(client, sign_in):
    waiting = DossierFactory(applicant_email=AN, status=Status.INFO_REQUESTED)
    DossierFactory(applicant_email=AN, status=Status.IN_REVIEW)
    sign_in(AN)

    response = client.get(OVERVIEW_URL)

    assert response.context["action_needed"] == [waiting]
    html = response.content.decode()
    assert "data-action-needed" in html
    assert html.count("status-tag--info_requested") == 1


@pytest.mark.django_db
def test_the_overview_says_so_when_there_is_nothing(client, sign_in):
    sign_in("new@example.be")
    html = client.get(OVERVIEW_URL).content.decode()
    assert 'data-empty="dossiers"' in html
    assert 'data-empty="drafts"' in html
    assert "data-action-needed" not in html


@pytest.mark.django_db
def test_the_overview_takes_the_same_number_of_queries_for_many_dossiers(
    client, sign_in, form_page
):
    DossierFactory(applicant_email=AN)
    make_draft(form_page, AN)
    sign_in(AN)
    client.get(OVERVIEW_URL)  # warm caches (site root paths, settings)

    with CaptureQueriesContext(connection) as few:
        assert client.get(OVERVIEW_URL).status_code == 200
    for status in [Status.INFO_REQUESTED, Status.APPROVED, Status.IN_REVIEW] * 10:
        DossierFactory(applicant_email=AN, status=status, decision_due=timezone.localdate())
    for _ in range(10):
        make_draft(form_page, AN)
    with CaptureQueriesContext(connection) as many:
        response = client.get(OVERVIEW_URL)

    assert len(response.context["dossiers"]) == 31
    assert len(response.context["drafts"]) == 11
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- signing out and session expiry ------------------------------------------------------


@pytest.mark.django_db
def test_signing_out_ends_the_sign_in(client, sign_in):
    sign_in(AN)
    key = client.session.session_key

    assert client.get(SIGN_OUT_URL).status_code == 405, "only a POST signs out"
    response = client.post(SIGN_OUT_URL)

    assert response.status_code == 302
    assert response["Location"] == SIGN_IN_URL
    assert client.session.session_key != key
    assert identity.SESSION_KEY not in client.session
    assert client.get(OVERVIEW_URL).status_code == 302


@pytest.mark.django_db
def test_the_sign_in_ends_after_a_while_without_activity(client, sign_in, settings, monkeypatch):
    sign_in(AN)
    now = timezone.now()
    idle = settings.LOKET_APPLICANT_IDLE_MINUTES

    monkeypatch.setattr(identity, "_now", lambda: now + datetime.timedelta(minutes=idle - 5))
    assert client.get(OVERVIEW_URL).status_code == 200, "activity keeps it going"
    monkeypatch.setattr(identity, "_now", lambda: now + datetime.timedelta(minutes=2 * idle - 10))
    assert client.get(OVERVIEW_URL).status_code == 200
    monkeypatch.setattr(identity, "_now", lambda: now + datetime.timedelta(minutes=3 * idle))
    assert client.get(OVERVIEW_URL).status_code == 302
    assert identity.SESSION_KEY not in client.session


@pytest.mark.django_db
def test_the_sign_in_ends_after_the_longest_session_in_any_case(
    client, sign_in, settings, monkeypatch
):
    settings.LOKET_APPLICANT_SESSION_HOURS = 1
    sign_in(AN)
    start = timezone.now()
    for minutes in (20, 40, 59):
        monkeypatch.setattr(
            identity, "_now", lambda m=minutes: start + datetime.timedelta(minutes=m)
        )
        assert client.get(OVERVIEW_URL).status_code == 200
    monkeypatch.setattr(identity, "_now", lambda: start + datetime.timedelta(minutes=61))
    assert client.get(OVERVIEW_URL).status_code == 302


@pytest.mark.django_db
def test_the_header_links_to_mijn_loket(client):
    html = client.get(SIGN_IN_URL).content.decode()
    assert f'href="{OVERVIEW_URL}"' in html


# --- two clicks at the same moment (PostgreSQL) -------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises all writers; concurrent updates are a PostgreSQL concern",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clicks_on_one_link_at_the_same_moment_sign_in_once():
    token = "t" * 43
    SignInToken.objects.create(
        email=AN,
        token_hash=tokens.hash_token(token),
        expires_at=timezone.now() + datetime.timedelta(minutes=15),
    )
    for _round in range(5):
        SignInToken.objects.update(used_at=None)
        results = at_the_same_moment(lambda: tokens.redeem(token), lambda: tokens.redeem(token))
        assert len(results) == 2
        assert results.count(AN) == 1 and results.count(None) == 1, results


def at_the_same_moment(*actions) -> list:
    """Run the actions in threads released together; their results."""
    barrier = threading.Barrier(len(actions))
    results = []

    def run(action):
        try:
            barrier.wait(timeout=10)
            results.append(action())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


# --- prefill -------------------------------------------------------------------------------


def field(type_id, label, name, **options):
    return {
        "type": type_id,
        "value": {
            "label": label,
            "name": name,
            "required": options.pop("required", True),
            **options,
        },
    }


COMPANY_STEPS = [
    {
        "type": "step",
        "value": {
            "title": "Uw onderneming",
            "intro": "",
            "fields": [
                field(
                    "short_text", "Naam van de onderneming", "bedrijfsnaam", maps_to="company_name"
                ),
                field("enterprise_number", "Ondernemingsnummer", "kbo"),
                field("address", "Adres van de zaak", "adres_zaak"),
                field("short_text", "Uw naam", "naam", maps_to="applicant_name"),
                field("email", "Uw e-mailadres", "email", maps_to="applicant_email"),
                field("phone", "Uw telefoonnummer", "telefoon", maps_to="applicant_phone"),
                field("email", "E-mailadres van uw boekhouder", "boekhouder", required=False),
            ],
        },
    },
    {
        "type": "step",
        "value": {
            "title": "Uw vraag",
            "intro": "",
            "fields": [field("long_text", "Wat wilt u doen?", "vraag")],
        },
    },
]

EARLIER_ANSWERS = {
    "bedrijfsnaam": "Café De Markt",
    "kbo": "0403170701",
    "adres_zaak": {
        "street": "Markt",
        "number": "1",
        "box": "",
        "postcode": "9000",
        "municipality": "Gent",
    },
    "naam": "An Peeters",
    "email": AN,
    "telefoon": "+32470112233",
    "boekhouder": "boekhouder@example.be",
}


@pytest.fixture
def company_page(home_page, team):
    return make_form_page(
        home_page, slug="premie", reference_prefix="PRE", steps=COMPANY_STEPS, team=team
    )


def submit_earlier(page, **overrides):
    schema = page.get_schema()
    step1, step2 = (step["id"] for step in schema["steps"])
    answers = {step1: {**EARLIER_ANSWERS, **overrides}, step2: {"vraag": "Een premie."}}
    # Sent while signed in with that address, so the address is proven.
    return dossier_services.submit_application(
        form_page=page, schema=schema, answers=answers, proven_email=answers[step1]["email"]
    )


def input_value(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert match, f"no input {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else None


@pytest.mark.django_db
def test_a_signed_in_applicant_finds_their_company_details_prefilled(client, sign_in, company_page):
    submit_earlier(company_page)
    sign_in(AN)

    html = client.get(company_page.url + "stap/1/").content.decode()

    assert input_value(html, "1-bedrijfsnaam") == "Café De Markt"
    assert input_value(html, "1-kbo") == "0403.170.701"
    assert input_value(html, "1-adres_zaak_street") == "Markt"
    assert input_value(html, "1-adres_zaak_number") == "1"
    assert input_value(html, "1-adres_zaak_postcode") == "9000"
    assert input_value(html, "1-adres_zaak_municipality") == "Gent"
    assert input_value(html, "1-naam") == "An Peeters"
    assert input_value(html, "1-email") == AN
    assert input_value(html, "1-telefoon") == "+32 470 11 22 33"
    assert input_value(html, "1-boekhouder") is None, "an unmapped e-mail field stays empty"


@pytest.mark.django_db
def test_prefilled_company_details_can_be_changed(client, sign_in, company_page):
    submit_earlier(company_page)
    sign_in(AN)
    client.get(company_page.url + "stap/1/")
    prefix = f"loket-form-{company_page.pk}"

    client.post(
        company_page.url + "stap/1/",
        {
            f"{prefix}-current_step": "1",
            "1-bedrijfsnaam": "Café De Nieuwe Markt",
            "1-kbo": "0403.170.701",
            "1-adres_zaak_street": "Kerkstraat",
            "1-adres_zaak_number": "5",
            "1-adres_zaak_box": "",
            "1-adres_zaak_postcode": "9000",
            "1-adres_zaak_municipality": "Gent",
            "1-naam": "An Peeters",
            "1-email": AN,
            "1-telefoon": "+32 470 11 22 33",
            "1-boekhouder": "",
        },
    )
    client.post(
        company_page.url + "stap/2/",
        {f"{prefix}-current_step": "2", "2-vraag": "Een tweede premie."},
    )
    response = client.post(company_page.url + "controleren/", follow=True)

    assert response.status_code == 200
    newest = company_page.dossiers.order_by("-pk").first()
    assert newest.company_name == "Café De Nieuwe Markt"
    step1 = company_page.get_schema()["steps"][0]["id"]
    assert newest.answers[step1]["adres_zaak"]["street"] == "Kerkstraat"
    assert newest.answers[step1]["kbo"] == "0403170701"


@pytest.mark.django_db
def test_nothing_is_prefilled_for_a_visitor_who_is_not_signed_in(client, company_page):
    submit_earlier(company_page)
    html = client.get(company_page.url + "stap/1/").content.decode()
    assert input_value(html, "1-bedrijfsnaam") is None
    assert input_value(html, "1-kbo") is None


@pytest.mark.django_db
def test_company_details_come_from_the_newest_dossier_that_names_a_company(
    client, sign_in, company_page
):
    submit_earlier(company_page, bedrijfsnaam="Oude Zaak", telefoon="+32470000001")
    submit_earlier(company_page, bedrijfsnaam="Nieuwe Zaak", kbo="", telefoon="")
    sign_in(AN)

    html = client.get(company_page.url + "stap/1/").content.decode()

    assert input_value(html, "1-bedrijfsnaam") == "Nieuwe Zaak"
    assert input_value(html, "1-kbo") is None, "no enterprise number of another company"
    assert input_value(html, "1-telefoon") == "+32 470 00 00 01"


@pytest.mark.django_db
def test_other_applicants_details_are_never_prefilled(client, sign_in, company_page):
    submit_earlier(company_page, email=JAN, bedrijfsnaam="Bistro Het Hoekje")
    sign_in(AN)
    html = client.get(company_page.url + "stap/1/").content.decode()
    assert "Bistro Het Hoekje" not in html
    assert input_value(html, "1-email") == AN


@pytest.mark.django_db
def test_a_form_started_while_signed_in_is_listed_as_a_draft(client, sign_in, form_page):
    from tests.forms_builder.test_wizard import COMPANY, Applicant

    sign_in(AN)
    applicant = Applicant(client, form_page)
    applicant.open()
    applicant.answer({**COMPANY, "email": "ander@voorbeeld.be"})

    draft = Draft.objects.get(page=form_page)
    assert draft.email == AN  # the signed-in address, not what was typed in the form
    response = client.get(OVERVIEW_URL)
    assert [each for each, _url in response.context["drafts"]] == [draft]


@pytest.mark.django_db
def test_a_form_started_without_signing_in_has_no_address_yet(client, form_page):
    from tests.forms_builder.test_wizard import COMPANY, Applicant

    applicant = Applicant(client, form_page)
    applicant.open()
    applicant.answer(COMPANY)

    assert Draft.objects.get(page=form_page).email == ""


# --- proven e-mail addresses (issue #13, item 1) -------------------------------------------

CONFIRM_RE = re.compile(r"https?://[^/\s]+(?P<path>/mijn-loket/bevestigen/(?P<token>[\w-]+)/)")


def plant(page, email=AN, company="Nep BV"):
    """A dossier someone else sends with ``email``, not signed in (nothing proven)."""
    schema = page.get_schema()
    step1, step2 = (step["id"] for step in schema["steps"])
    answers = {
        step1: {**EARLIER_ANSWERS, "email": email, "bedrijfsnaam": company, "kbo": "0417497106"},
        step2: {"vraag": "Geplant."},
    }
    return dossier_services.submit_application(form_page=page, schema=schema, answers=answers)


def confirmation_link(dossier) -> tuple[str, str]:
    """(path, token) of the confirmation link in the outbox of ``dossier``."""
    from dossiers.models import Notification

    row = Notification.objects.get(dossier=dossier, kind="confirm_email_address")
    assert row.recipient == dossier.applicant_email
    match = CONFIRM_RE.search(row.body)
    assert match, row.body
    return match.group("path"), match.group("token")


def send_company_form(client, page, email):
    prefix = f"loket-form-{page.pk}"
    answers = {
        f"1-{name}": value for name, value in EARLIER_ANSWERS.items() if name != "adres_zaak"
    }
    answers.update(
        {f"1-adres_zaak_{part}": value for part, value in EARLIER_ANSWERS["adres_zaak"].items()}
    )
    client.post(page.url + "stap/1/", {f"{prefix}-current_step": "1", **answers, "1-email": email})
    client.post(page.url + "stap/2/", {f"{prefix}-current_step": "2", "2-vraag": "Iets."})
    response = client.post(page.url + "controleren/", follow=True)
    assert response.status_code == 200
    return page.dossiers.order_by("-pk").first()


@pytest.mark.django_db
def test_a_planted_dossier_is_invisible_in_mijn_loket_and_never_prefills(
    client, sign_in, company_page
):
    planted = plant(company_page)

    sign_in(AN)
    overview = client.get(OVERVIEW_URL)
    assert planted.reference not in overview.content.decode()
    assert list(overview.context["dossiers"]) == []
    html = client.get(company_page.url + "stap/1/").content.decode()
    assert "Nep BV" not in html
    assert input_value(html, "1-bedrijfsnaam") is None
    assert input_value(html, "1-kbo") is None
    # Its status page works through its secret link, as before.
    assert client.get(planted.get_status_url()).status_code == 200
    planted.refresh_from_db()
    assert planted.email_verified_at is None


@pytest.mark.django_db
def test_the_confirmation_link_proves_the_address_once(client, sign_in, company_page):
    from dossiers.models import EmailConfirmation

    dossier = plant(company_page, company="Café De Markt")
    path, token = confirmation_link(dossier)
    stored = [str(value) for value in EmailConfirmation.objects.values_list().get()]
    assert not any(token in value for value in stored), "only the token's hash is stored"
    assert not any(token in str(event.data) for event in dossier.events.all())

    # Opening it only asks to press the button (mail scanners open links too).
    opened = client.get(path)
    assert opened.status_code == 200
    assert "Bevestig uw e-mailadres" in opened.content.decode()
    assert "no-store" in opened["Cache-Control"]
    dossier.refresh_from_db()
    assert dossier.email_verified_at is None

    confirmed = client.post(path)
    assert confirmed.status_code == 200
    assert "Uw e-mailadres is bevestigd" in confirmed.content.decode()
    dossier.refresh_from_db()
    assert dossier.email_verified_at is not None

    again = client.post(path)
    assert again.status_code == 404
    assert "Deze link werkt niet meer" in again.content.decode()

    sign_in(AN)
    assert dossier.reference in client.get(OVERVIEW_URL).content.decode()
    html = client.get(company_page.url + "stap/1/").content.decode()
    assert input_value(html, "1-bedrijfsnaam") == "Café De Markt"


@pytest.mark.django_db
def test_an_expired_or_unknown_confirmation_link_proves_nothing(client, company_page):
    from dossiers.models import EmailConfirmation

    dossier = plant(company_page)
    path, _token = confirmation_link(dossier)
    EmailConfirmation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert client.post("/mijn-loket/bevestigen/" + "x" * 300 + "/").status_code == 404
    dossier.refresh_from_db()
    assert dossier.email_verified_at is None


@pytest.mark.django_db
def test_a_dossier_sent_while_signed_in_with_its_address_is_proven_at_once(
    client, sign_in, company_page
):
    from dossiers.models import EmailConfirmation, Notification

    sign_in(AN)
    dossier = send_company_form(client, company_page, AN.upper())
    assert dossier.email_verified_at is not None
    assert not EmailConfirmation.objects.exists()
    assert not Notification.objects.filter(kind="confirm_email_address").exists()
    assert dossier.reference in client.get(OVERVIEW_URL).content.decode()


@pytest.mark.django_db
def test_signed_in_with_another_address_proves_nothing(client, sign_in, company_page):
    sign_in(JAN)
    dossier = send_company_form(client, company_page, AN)
    assert dossier.email_verified_at is None
    path, _token = confirmation_link(dossier)  # the link goes to the typed address
    assert path.startswith("/mijn-loket/bevestigen/")


@pytest.mark.django_db
def test_editors_write_the_confirmation_email_with_its_link_placeholder(company_page):
    from dossiers.models import Notification, NotificationTemplate

    text = NotificationTemplate(
        kind="confirm_email_address",
        language="nl",
        subject="Bevestig uw adres voor {referentienummer}",
        body="Klik hier: {bevestigingslink}",
    )
    text.full_clean()
    text.save()
    dossier = plant(company_page)
    path, _token = confirmation_link(dossier)
    row = Notification.objects.get(dossier=dossier, kind="confirm_email_address")
    assert row.subject == f"Bevestig uw adres voor {dossier.reference}"
    assert row.body.startswith("Klik hier: http") and row.body.endswith(path)


@pytest.mark.django_db
def test_erasing_a_dossier_deletes_its_confirmation_links(client, company_page):
    from dossiers import privacy
    from dossiers.models import EmailConfirmation

    dossier = plant(company_page)
    path, _token = confirmation_link(dossier)
    assert privacy.erase_personal_data(dossier.pk, cause=privacy.RETENTION)
    assert not EmailConfirmation.objects.exists()
    assert client.post(path).status_code == 404


def test_dossiers_from_before_proof_get_one_new_link_and_then_join(client, sign_in, company_page):
    """After the upgrade, an operator asks applicants of unproven dossiers to confirm
    their address (manage.py ask_address_confirmations): one link each, not twice."""
    from io import StringIO

    from django.core.management import call_command

    from dossiers.models import EmailConfirmation, Notification

    old = plant(company_page, company="Café De Markt")
    # As it was before addresses needed proof: no link was ever sent for it.
    EmailConfirmation.objects.filter(dossier=old).delete()
    Notification.objects.filter(dossier=old, kind="confirm_email_address").delete()
    proven = plant(company_page, company="Al Bewezen")
    Dossier.objects.filter(pk=proven.pk).update(email_verified_at=timezone.now())
    EmailConfirmation.objects.filter(dossier=proven).delete()
    Notification.objects.filter(dossier=proven, kind="confirm_email_address").delete()
    events_before = old.events.count()

    out = StringIO()
    call_command("ask_address_confirmations", "--dry-run", stdout=out)
    assert "1 dossier(s)" in out.getvalue()
    assert not Notification.objects.filter(kind="confirm_email_address").exists()

    call_command("ask_address_confirmations", stdout=StringIO())
    call_command("ask_address_confirmations", stdout=StringIO())

    [row] = Notification.objects.filter(kind="confirm_email_address")
    assert row.dossier == old and row.recipient == old.applicant_email
    assert old.events.count() == events_before, "the applicant's timeline is unchanged"
    path, _token = confirmation_link(old)
    assert client.post(path).status_code == 200
    sign_in(AN)
    assert old.reference in client.get(OVERVIEW_URL).content.decode()


def test_mijn_loket_offers_a_new_application_and_greys_closed_dossiers(client, sign_in, home_page):
    """Issue #14, item 24: a way to start a new application; closed states are grey
    (their own tag class, styled in loket.css)."""
    from pathlib import Path

    sign_in("nieuw@example.be")

    html = client.get("/mijn-loket/").content.decode()

    assert "data-new-application" in html and "Nieuwe aanvraag starten" in html
    css = Path("theme/static/theme/css/loket.css").read_text()
    assert ".status-tag--closed" in css and ".status-tag--withdrawn" in css
