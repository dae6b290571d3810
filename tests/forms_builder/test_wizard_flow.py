"""The wizard as applicants meet it: availability, prefill, conditions, frozen versions,
tampered requests and double submits."""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers.models import Dossier
from forms_builder.drafts import delete_expired_drafts
from forms_builder.models import Draft
from tests.conftest import make_form_page


def field(type_id, label, name, **options):
    return {"type": type_id, "value": {"label": label, "name": name, "required": True, **options}}


def step(title, *fields, condition=None):
    value = {"title": title, "intro": "", "fields": list(fields)}
    if condition:
        value["condition"] = condition
    return {"type": "step", "value": value}


def rule(name, operator, value=""):
    return {"combinator": "all", "rules": [{"field": name, "operator": operator, "value": value}]}


EVENT_STEPS = [
    step(
        "Uw evenement",
        field("short_text", "Naam van het evenement", "naam", prefill=True),
        field("email", "E-mail", "email", maps_to="applicant_email"),
        field("yes_no", "Komt er muziek?", "muziek"),
        field(
            "short_text", "Welke muziek?", "welke_muziek", condition=rule("muziek", "equals", "yes")
        ),
    ),
    step(
        "Geluid",
        field("integer", "Hoeveel decibel?", "decibel", min_value=1, max_value=120),
        condition=rule("muziek", "equals", "yes"),
    ),
    step("Plaats", field("single_choice", "Waar?", "plaats", choices=["Markt", "Park"])),
]


@pytest.fixture
def event_page(home_page, team):
    return make_form_page(
        home_page, slug="evenement", reference_prefix="EVE", steps=EVENT_STEPS, team=team
    )


def mgmt(page, key):
    return {f"loket-form-{page.pk}-current_step": key}


def post(client, page, key, data, **extra):
    return client.post(page.url + f"stap/{key}/", {**mgmt(page, key), **data}, **extra)


def fill_first_step(client, page, music="no", **extra):
    data = {"1-naam": "Zomerfeest", "1-email": "an@example.be", "1-muziek": music, **extra}
    return post(client, page, "1", data)


# --- availability -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "settings_, reason_text",
    [
        ({"opens_at": timezone.now() + datetime.timedelta(days=2)}, "not_open"),
        ({"closes_at": timezone.now() - datetime.timedelta(minutes=1)}, "closed"),
        ({"max_dossiers": 0}, "full"),
    ],
)
def test_unavailable_forms_show_the_editors_text_and_accept_nothing(
    client, event_page, settings_, reason_text
):
    for key, value in settings_.items():
        setattr(event_page, key, value)
    event_page.closed_text = f"<p>Gesloten ({reason_text})</p>"
    event_page.save()
    response = client.get(event_page.url, follow=True)
    assert response.status_code == 200
    assert f"Gesloten ({reason_text})" in response.content.decode()
    response = fill_first_step(client, event_page)
    assert f"Gesloten ({reason_text})" in response.content.decode()
    assert not Draft.objects.exists()


@pytest.mark.django_db
def test_form_closes_when_the_maximum_is_reached(client, event_page):
    event_page.max_dossiers = 1
    event_page.save()
    assert event_page.get_unavailable_reason() is None
    Dossier.objects.create(
        reference="EVE-2026-00001",
        form_page=event_page,
        form_title="x",
        snapshot=__import__("forms_builder.schema", fromlist=["x"]).freeze_schema(
            event_page.get_schema(), page=event_page
        ),
        submitted_at=timezone.now(),
    )
    assert event_page.get_unavailable_reason() == "full"


# --- prefill ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_prefill_from_the_link_only_for_fields_marked_prefillable(client, event_page):
    response = client.get(event_page.url + "stap/1/?naam=Jaarmarkt&email=x@example.be")
    html = response.content.decode()
    assert re.search(r'name="1-naam"[^>]*value="Jaarmarkt"', html)
    assert "x@example.be" not in html


@pytest.mark.django_db
def test_prefilled_values_are_validated_like_typed_ones(client, event_page):
    client.get(event_page.url + "stap/1/?naam=" + "x" * 300)
    response = fill_first_step(client, event_page, **{"1-naam": "x" * 300})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


@pytest.mark.django_db
def test_a_repeated_parameter_prefills_its_first_value_capped(client, event_page):
    long = "y" * 1500
    response = client.get(event_page.url + f"stap/1/?naam={long}&naam=Tweede")
    html = response.content.decode()
    assert re.search(r'name="1-naam"[^>]*value="' + "y" * 1000 + '"', html)
    assert "y" * 1001 not in html
    assert "[&#x27;" not in html and "Tweede" not in html


@pytest.mark.django_db
def test_control_characters_from_the_link_never_reach_the_page(client, event_page):
    response = client.get(event_page.url + "stap/1/?naam=Jaar%00markt%07%1b")
    html = response.content.decode()
    assert "\x00" not in html and "\x07" not in html and "\x1b" not in html
    assert re.search(r'name="1-naam"[^>]*value="Jaarmarkt"', html)


def test_a_field_with_several_answers_takes_every_value_of_a_repeated_parameter(rf):
    from forms_builder.prefill import QueryStringSource

    request = rf.get("/", {"x": ["a\x00", "b"]})
    source = QueryStringSource()
    ticks = {"type": "multiple_choice", "name": "x", "prefill": True}
    assert source.get_value(request, ticks) == ["a", "b"]
    assert source.get_value(request, {**ticks, "type": "short_text"}) == "a"


# --- conditions -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_step_whose_condition_fails_is_skipped_and_not_counted(client, event_page):
    response = fill_first_step(client, event_page, music="no")
    assert response["Location"].endswith("/stap/3/")
    page = client.get(response["Location"]).content.decode()
    assert re.search(r"2\D+2", re.search(r'class="step-indicator">([^<]*)', page).group(1))


@pytest.mark.django_db
def test_a_step_whose_condition_holds_is_shown(client, event_page):
    response = fill_first_step(client, event_page, music="yes", **{"1-welke_muziek": "Jazz"})
    assert response["Location"].endswith("/stap/2/")


@pytest.mark.django_db
def test_a_revealed_field_is_required_and_a_hidden_one_is_dropped(
    client, event_page, django_capture_on_commit_callbacks
):
    response = fill_first_step(client, event_page, music="yes")
    assert response.status_code == 200  # "Welke muziek?" is shown and required
    assert 'id="id_1-welke_muziek_error"' in response.content.decode()

    response = fill_first_step(client, event_page, music="no", **{"1-welke_muziek": "Techno"})
    assert response["Location"].endswith("/stap/3/")
    post(client, event_page, "3", {"3-plaats": "Park"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(event_page.url + "controleren/", {})
    dossier = Dossier.objects.get()
    first_step_id = dossier.schema["steps"][0]["id"]
    assert "welke_muziek" not in dossier.answers[first_step_id]
    assert dossier.schema["steps"][1]["id"] not in dossier.answers  # skipped step


@pytest.mark.django_db
def test_answers_of_a_step_that_became_hidden_are_not_submitted(
    client, event_page, django_capture_on_commit_callbacks
):
    fill_first_step(client, event_page, music="yes", **{"1-welke_muziek": "Jazz"})
    post(client, event_page, "2", {"2-decibel": "90"})
    post(client, event_page, "3", {"3-plaats": "Markt"})
    # The applicant goes back and says there is no music after all.
    fill_first_step(client, event_page, music="no")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event_page.url + "controleren/", {})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.schema["steps"][1]["id"] not in dossier.answers


# --- tampering --------------------------------------------------------------------------


@pytest.mark.django_db
def test_posting_a_hidden_step_is_refused_with_a_message(client, event_page):
    fill_first_step(client, event_page, music="no")
    response = post(client, event_page, "2", {"2-decibel": "200"}, follow=True)
    assert response.status_code == 200
    assert "notification-banner--error" in response.content.decode()
    draft = Draft.objects.get()
    assert "2" not in draft.data["step_data"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {},  # no management form at all
        {"loket-form-0-current_step": "1"},  # another form's management form
        {"wrong": "x"},
    ],
)
def test_a_post_without_a_valid_management_form_gets_a_message(client, event_page, data):
    response = client.post(event_page.url + "stap/1/", data, follow=True)
    assert response.status_code == 200
    assert "notification-banner--error" in response.content.decode()


@pytest.mark.django_db
def test_forged_choice_value_is_a_validation_error(client, event_page):
    fill_first_step(client, event_page)
    response = post(client, event_page, "3", {"3-plaats": "<script>"})
    assert response.status_code == 200
    assert 'id="id_3-plaats_error"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["stap/99/", "stap/0/", "stap/abc/"])
def test_unknown_steps_do_not_fail(client, event_page, path):
    response = client.get(event_page.url + path)
    assert response.status_code in (302, 404)


@pytest.mark.django_db
def test_submitting_without_answers_goes_back_to_the_first_step(client, event_page):
    response = client.post(event_page.url + "controleren/", {})
    assert response.status_code == 302
    assert not Dossier.objects.exists()


# --- frozen versions and expiry ---------------------------------------------------------


@pytest.mark.django_db
def test_a_running_draft_keeps_the_form_version_it_started_on(
    client, event_page, django_capture_on_commit_callbacks
):
    fill_first_step(client, event_page)
    event_page.steps[2].value["fields"][0].value["label"] = "Nieuwe vraag"
    event_page.save_revision().publish()
    post(client, event_page, "3", {"3-plaats": "Park"})
    check = client.get(event_page.url + "controleren/").content.decode()
    assert "Waar?" in check and "Nieuwe vraag" not in check
    with django_capture_on_commit_callbacks(execute=True):
        client.post(event_page.url + "controleren/", {})
    assert Dossier.objects.get().schema["steps"][2]["fields"][0]["label"] == "Waar?"
    # A new applicant gets the new version.
    assert "Nieuwe vraag" in str(Client().get(event_page.url + "stap/3/").content)


@pytest.mark.django_db
def test_expired_drafts_are_deleted(client, event_page):
    fill_first_step(client, event_page)
    draft = Draft.objects.get()
    assert delete_expired_drafts() == 0
    Draft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    assert delete_expired_drafts() == 1
    assert not Draft.objects.exists()
    # The applicant starts again, nothing breaks.
    assert client.get(event_page.url + "stap/3/").status_code in (200, 302)


# --- double submit ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_submits_of_one_draft_make_one_dossier(home_page, team):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers; the row lock matters on PostgreSQL")
    page = make_form_page(home_page, slug="evenement", reference_prefix="EVE", steps=EVENT_STEPS)
    first = Client()
    fill_first_step(first, page)
    post(first, page, "3", {"3-plaats": "Park"})
    second = Client()
    second.cookies = first.cookies
    barrier = threading.Barrier(2)
    codes = []

    def submit(client):
        try:
            barrier.wait()
            codes.append(client.post(page.url + "controleren/", {}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [302, 302]
    assert Dossier.objects.count() == 1


@pytest.mark.django_db
def test_looking_at_a_step_again_does_not_rewrite_the_draft(client, event_page):
    fill_first_step(client, event_page)
    client.get(event_page.url + "stap/3/")
    written = Draft.objects.get().updated_at
    client.get(event_page.url + "stap/3/")
    assert Draft.objects.get().updated_at == written
    client.get(event_page.url + "stap/1/")  # moving to another step is a change
    assert Draft.objects.get().updated_at > written


@pytest.mark.django_db
def test_a_step_that_depends_on_a_field_hidden_later_is_skipped(
    client, home_page, team, django_capture_on_commit_callbacks
):
    """Step 3 depends on a step-2 field that depends on step 1. When the applicant
    changes step 1 afterwards, the stored step-2 answer of that now hidden field no
    longer counts (as in :func:`forms_builder.conditions.visible_steps`), so step 3 is
    skipped even before step 2 is posted again."""
    page = make_form_page(
        home_page,
        slug="markt",
        reference_prefix="MAR",
        team=team,
        steps=[
            step("Kraam", field("yes_no", "Verkoopt u eten?", "eten")),
            step(
                "Eten",
                field(
                    "short_text", "Welk eten?", "welk_eten", condition=rule("eten", "equals", "yes")
                ),
                field("short_text", "Naam kraam", "kraam"),
            ),
            step(
                "Frituur",
                field("integer", "Hoeveel liter olie?", "olie", min_value=1, max_value=100),
                condition=rule("welk_eten", "equals", "frieten"),
            ),
            step("Plaats", field("single_choice", "Waar?", "plaats", choices=["Markt", "Park"])),
        ],
    )
    post(client, page, "1", {"1-eten": "yes"})
    post(client, page, "2", {"2-welk_eten": "frieten", "2-kraam": "Frietkot"})
    post(client, page, "3", {"3-olie": "20"})
    post(client, page, "4", {"4-plaats": "Markt"})
    assert client.get(page.url + "controleren/").status_code == 200
    post(client, page, "1", {"1-eten": "no"})

    check = client.get(page.url + "controleren/").content.decode()
    assert "Hoeveel liter olie?" not in check
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page.url + "controleren/", {})
    dossier = Dossier.objects.get()
    step_ids = [s["id"] for s in dossier.schema["steps"]]
    assert set(dossier.answers) == {step_ids[0], step_ids[1], step_ids[3]}
    assert dossier.answers[step_ids[1]] == {"kraam": "Frietkot"}


# --- what a step costs (issue #21) ------------------------------------------------------


class CacheReads:
    """The reads of Django's cache (each a round trip to Redis in production): one
    entry per ``get_many``, and the keys read with ``get`` (the rate limits' counters
    read theirs on the local memory cache of the tests; on Redis they take one round
    trip each, ``core.cache.FailSoftRedisCache.count``)."""

    def __init__(self, monkeypatch):
        from django.core.cache import cache

        self.calls = []
        self.inside = False
        get, get_many = cache.get, cache.get_many

        def counted_get(key, *args, **kwargs):
            # The local memory cache's get_many reads key by key: not counted again.
            if not self.inside and not key.startswith("loket:rl:"):
                self.calls.append(key)
            return get(key, *args, **kwargs)

        def counted_get_many(*args, **kwargs):
            self.calls.append("get_many")
            self.inside = True
            try:
                return get_many(*args, **kwargs)
            finally:
                self.inside = False

        monkeypatch.setattr(cache, "get", counted_get)
        monkeypatch.setattr(cache, "get_many", counted_get_many)


@pytest.mark.django_db
def test_a_valid_step_post_takes_three_queries_and_three_cache_reads(
    client, event_page, monkeypatch
):
    """Session, privacy check and draft; the site, its settings and the route each in
    one read of the cache. The draft is not written when the answers did not change,
    the redirect needs no site root paths and no global header from the cache."""
    fill_first_step(client, event_page)
    fill_first_step(client, event_page)  # routes, settings and site now in the cache
    reads = CacheReads(monkeypatch)
    with CaptureQueriesContext(connection) as captured:
        response = fill_first_step(client, event_page)
    assert response.status_code == 302
    tables = [re.search(r'FROM "(\w+)"', query["sql"]).group(1) for query in captured]
    assert tables == ["django_session", "wagtailcore_pageviewrestriction", "forms_builder_draft"]
    assert reads.calls == ["get_many", "get_many", "get_many"], reads.calls


@pytest.mark.django_db
def test_a_step_get_takes_three_queries_and_six_cache_reads(client, event_page, monkeypatch):
    """As a POST, plus the header and footer fragments and Wagtail's site root paths
    (a link in the page built without the request)."""
    fill_first_step(client, event_page)
    client.get(event_page.url + "stap/3/")
    reads = CacheReads(monkeypatch)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(event_page.url + "stap/3/")
    assert response.status_code == 200
    tables = [re.search(r'FROM "(\w+)"', query["sql"]).group(1) for query in captured]
    assert tables == ["django_session", "wagtailcore_pageviewrestriction", "forms_builder_draft"]
    assert reads.calls[:3] == ["get_many", "get_many", "get_many"], reads.calls
    fragments = [
        key.rsplit(".", 1)[0] if key.startswith("template.") else key for key in reads.calls[3:]
    ]
    rest = sorted(fragments)
    assert rest == [
        'template.cache."loket-footer"',
        'template.cache."loket-header"',
        "wagtail_site_root_paths",
    ], reads.calls
