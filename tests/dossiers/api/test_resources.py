"""The API's resources: forms, dossiers (filters, cursor pages, detail), transitions
through the workflow, messages, payments, appointments; constant query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers import workflow
from dossiers.constants import Sender, Status
from dossiers.models import Attachment, Event, Message
from tests.dossiers.api.conftest import submit

pytestmark = pytest.mark.django_db


def test_forms_list_and_detail_with_versions(client, auth, form_page, dossier):
    listed = client.get("/api/v1/forms/", **auth).json()
    assert [form["id"] for form in listed] == [form_page.pk]
    assert listed[0]["reference_prefix"] == "TER"

    detail = client.get(f"/api/v1/forms/{form_page.pk}/", **auth).json()
    assert detail["schema"]["title"] == form_page.title
    assert [version["id"] for version in detail["versions"]] == [dossier.snapshot_id]

    version = client.get(
        f"/api/v1/forms/{form_page.pk}/versions/{dossier.snapshot_id}/", **auth
    ).json()
    assert version["schema"] == dossier.snapshot.schema


def test_dossier_detail_has_answers_in_export_shape_files_and_events(client, auth, dossier):
    Attachment.objects.create(
        dossier=dossier, file="x/plan.pdf", original_name="plan.pdf", size=3, field_name="plan"
    )
    response = client.get(f"/api/v1/dossiers/{dossier.public_id}/", **auth)
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == dossier.reference
    assert body["status"] == "submitted"
    assert body["applicant"]["email"] == "an@cafedemarkt.be"
    answers = {answer["name"]: answer for answer in body["answers"]}
    # The export's shape: the surface as the CSV export writes it (a number as text).
    assert answers["oppervlakte"]["value"] == "24"
    assert answers["bedrijfsnaam"]["value"] == "Café De Markt"
    assert body["files"][0]["name"] == "plan.pdf"
    assert body["files"][0]["url"].endswith(
        f"/api/v1/dossiers/{dossier.public_id}/files/{body['files'][0]['id']}/"
    )
    assert [event["type"] for event in body["events"]][0] == "submitted"


def test_list_filters_and_cursor_pages(client, auth, form_page):
    dossiers = [submit(form_page) for _ in range(5)]
    workflow.transition(dossiers[0], "start_review")
    first = client.get("/api/v1/dossiers/?page_size=2", **auth).json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"], **auth).json()
    third = client.get(second["next"], **auth).json()
    seen = [d["id"] for page in (first, second, third) for d in page["results"]]
    assert sorted(seen) == sorted(str(d.public_id) for d in dossiers)
    assert third["next"] is None

    in_review = client.get("/api/v1/dossiers/?status=in_review", **auth).json()["results"]
    assert [d["reference"] for d in in_review] == [dossiers[0].reference]
    later = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    assert (
        client.get("/api/v1/dossiers/", {"submitted_after": later}, **auth).json()["results"] == []
    )


def test_a_bad_filter_is_a_problem(client, auth, dossier):
    response = client.get("/api/v1/dossiers/?status=nonsense", **auth)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "status"
    bad_cursor = client.get("/api/v1/dossiers/?cursor=zzz", **auth)
    assert bad_cursor.status_code == 404
    assert bad_cursor["Content-Type"] == "application/problem+json"


def test_query_counts_do_not_grow_with_the_page(client, auth, form_page):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, **auth).status_code == 200
        return len(queries)

    first = submit(form_page)
    count("/api/v1/dossiers/")  # the first call of a client also notes when it was used
    one = count("/api/v1/dossiers/")
    detail_one = count(f"/api/v1/dossiers/{first.public_id}/")
    for _ in range(4):
        submit(form_page)
    Event.objects.create(dossier=first, type="note_added")
    Attachment.objects.create(dossier=first, file="x/a.pdf", original_name="a.pdf")
    Attachment.objects.create(dossier=first, file="x/b.pdf", original_name="b.pdf")
    assert count("/api/v1/dossiers/") == one
    assert count(f"/api/v1/dossiers/{first.public_id}/") == detail_one


def test_transition_goes_through_the_workflow(client, auth, dossier):
    url = f"/api/v1/dossiers/{dossier.public_id}/transitions/"
    names = [t["name"] for t in client.get(url, **auth).json()]
    assert "start_review" in names and "approve" not in names

    response = client.post(url, {"name": "start_review"}, content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_review"
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_REVIEW
    event = dossier.events.get(type="status_changed")
    assert event.data["api_client"] == "Zaaksysteem"


def test_a_refused_transition_is_a_conflict_and_changes_nothing(client, auth, dossier):
    url = f"/api/v1/dossiers/{dossier.public_id}/transitions/"
    refused = client.post(
        url,
        {"name": "approve", "data": {"decision": "Ok"}},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 409
    assert refused["Content-Type"] == "application/problem+json"
    # The lead's reopen is not an officer's: the same rule as in the back office.
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED

    stale = client.post(
        url,
        {"name": "start_review", "expected_status": "in_review"},
        content_type="application/json",
        **auth,
    )
    assert stale.status_code == 409

    missing = client.post(
        url, {"name": "request_information"}, content_type="application/json", **auth
    )
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "data.question"

    unknown = client.post(url, {"name": "explode"}, content_type="application/json", **auth)
    assert unknown.status_code == 400
    college = client.post(
        url,
        {"name": "propose_to_college", "data": {"decision": "x"}},
        content_type="application/json",
        **auth,
    )
    assert college.status_code == 400


def test_messages_payments_and_appointments_are_read(client, auth, dossier):
    Message.objects.create(dossier=dossier, sender=Sender.APPLICANT, body="Vraag")
    base = f"/api/v1/dossiers/{dossier.public_id}"
    assert client.get(f"{base}/messages/", **auth).json()[0]["body"] == "Vraag"
    assert client.get(f"{base}/payments/", **auth).json() == []
    assert client.get(f"{base}/appointments/", **auth).json() == []
    # Read-only: a write would bypass their own lifecycle.
    refused = client.post(f"{base}/messages/", {}, content_type="application/json", **auth)
    assert refused.status_code == 405
    assert refused["Content-Type"] == "application/problem+json"


def test_unknown_addresses_are_problems(client, auth):
    for url in ("/api/v1/nothing/", "/api/v1/dossiers/00000000-0000-0000-0000-000000000000/"):
        response = client.get(url, **auth)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 404


def test_dossiers_of_another_site_are_not_seen(client, auth, home_page, form_page):
    from wagtail.models import Page, Site

    from tests.conftest import make_form_page

    other_root = Page.get_first_root_node().add_child(instance=Page(title="Ander", slug="ander"))
    # Another municipality: its own Site (a form outside every site belongs to the
    # default one, dossiers.services.site_of_form).
    Site.objects.create(hostname="ander.example", root_page=other_root, site_name="Ander")
    other_form = make_form_page(other_root, slug="terras-elders", reference_prefix="AND")
    elsewhere = submit(other_form)
    response = client.get(f"/api/v1/dossiers/{elsewhere.public_id}/", **auth)
    assert response.status_code == 404
    assert client.get("/api/v1/dossiers/", **auth).json()["results"] == []


def test_the_openapi_document_and_its_docs_page_are_served_from_the_site(client, db):
    from django.contrib.staticfiles import finders

    document = client.get("/api/v1/schema/")
    assert document.status_code == 200
    schema = document.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/dossiers/{public_id}/transitions/" in schema["paths"]
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert schema["components"]["securitySchemes"]["clientToken"]["scheme"] == "bearer"

    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>" not in html and "<style" not in html and "https://" not in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"drf_spectacular_sidecar/swagger-ui-dist/{asset}" in html
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{asset}")
    assert finders.find("dossiers/api/docs.js")


def test_a_file_is_downloaded_through_its_link(client, auth, dossier):
    attachment = Attachment(
        dossier=dossier, original_name="plan.pdf", content_type="application/pdf"
    )
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4 plan"), save=True)
    listed = client.get(f"/api/v1/dossiers/{dossier.public_id}/", **auth).json()["files"]
    response = client.get(listed[0]["url"], **auth)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 plan"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"

    attachment.file.delete(save=False)
    gone = client.get(listed[0]["url"], **auth)
    assert gone.status_code == 404 and gone["Content-Type"] == "application/problem+json"
    no_token = client.get(listed[0]["url"])
    assert no_token.status_code == 401


def test_the_openapi_document_is_valid_and_without_warnings(tmp_path):
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/dossiers/" in target.read_text()
