"""The virus scan of the wizard's file field, against a real clamd (tests/clamd.py).

The other places files come in are in tests/dossiers/test_upload_virus_scan.py."""

import copy
import html
import logging

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext, override

from forms_builder.fields.upload import UploadFormField
from forms_builder.models import Draft
from tests.clamd import MARKER, MARKER_SIGNATURE
from tests.conftest import make_form_page
from tests.forms_builder.test_uploads import PDF, UPLOAD_STEPS, errors, mgmt, start

#: A PDF that opens, with the test signature in a comment line after its header (the
#: scanner finds it anywhere; the PDF checks pass, so the scan decides).
INFECTED_PDF = PDF.replace(b"\n", b"\n%" + MARKER + b"\n", 1)

#: The upload step with a text field next to the file field.
STEPS = copy.deepcopy(UPLOAD_STEPS)
STEPS[1]["value"]["fields"].insert(
    0,
    {
        "type": "short_text",
        "value": {"label": "Toelichting", "name": "toelichting", "required": True},
    },
)


@pytest.fixture
def upload_page(home_page, team):
    return make_form_page(
        home_page, slug="met-scan", reference_prefix="SCN", steps=STEPS, team=team
    )


@pytest.fixture
def unreachable_clamd(settings):
    """Scanning on, but nothing listens where clamd should be."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.LOKET_CLAMAV = True
    settings.LOKET_CLAMAV_ADDRESS = f"tcp://127.0.0.1:{port}"
    settings.LOKET_CLAMAV_TIMEOUT = 2
    settings.LOKET_CLAMAV_FAIL_MODE = "closed"
    return settings


def expected(code: str, name: str) -> str:
    """The message for ``code`` as the applicant sees it (Dutch, the site's default)."""
    with override("nl"):
        return gettext(UploadFormField.default_error_messages[code]) % {"name": name}


def post_step(client, page, *files):
    return client.post(
        page.url + "stap/2/",
        {**mgmt(page, "2"), "2-toelichting": "Zie het plan in bijlage", "2-plan": list(files)},
    )


def stored_private_files() -> list[str]:
    storage = storages["private"]
    found = []

    def walk(folder):
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:
            return
        found.extend(f"{folder}/{name}" for name in files)
        for sub in folders:
            walk(f"{folder}/{sub}")

    walk("drafts")
    return found


@pytest.mark.django_db
class TestWizard:
    def test_a_clean_file_is_accepted(self, client, upload_page, virus_scanning):
        start(client, upload_page)
        response = post_step(client, upload_page, SimpleUploadedFile("plan.pdf", PDF))
        assert response.status_code == 302
        assert response["Location"].endswith("/controleren/")
        [info] = Draft.objects.get().data["step_files"]["2"]["2-plan"]
        assert info["name"] == "plan.pdf"

    def test_an_infected_file_is_refused_named_not_stored_and_logged(
        self, client, upload_page, virus_scanning, caplog
    ):
        start(client, upload_page)
        before = stored_private_files()
        with caplog.at_level(logging.WARNING, logger="core.virusscan"):
            response = post_step(
                client, upload_page, SimpleUploadedFile("plan-bakkerij-peeters.pdf", INFECTED_PDF)
            )
        assert response.status_code == 200
        shown = html.unescape(errors(response))
        assert expected("virus", "plan-bakkerij-peeters.pdf") in shown
        assert "Loket.Test" not in response.content.decode()  # the virus is not named
        assert stored_private_files() == before
        assert not Draft.objects.get().data["step_files"].get("2")
        # What was typed next to the file stays in the form.
        assert 'value="Zie het plan in bijlage"' in response.content.decode()
        [record] = [r for r in caplog.records if r.name == "core.virusscan"]
        assert MARKER_SIGNATURE in record.getMessage()
        assert "peeters" not in record.getMessage()

    def test_one_infected_file_among_clean_ones_refuses_the_step(
        self, client, upload_page, virus_scanning
    ):
        start(client, upload_page)
        response = post_step(
            client,
            upload_page,
            SimpleUploadedFile("schoon.pdf", PDF),
            SimpleUploadedFile("besmet.pdf", INFECTED_PDF),
        )
        assert response.status_code == 200
        shown = html.unescape(errors(response))
        assert expected("virus", "besmet.pdf") in shown
        assert "schoon.pdf" not in shown
        # The clean file stays held (the applicant need not choose it again); the
        # infected one is never stored.
        held = Draft.objects.get().data["step_files"]["2"]
        assert [info["name"] for files in held.values() for info in files] == ["schoon.pdf"]

    def test_unreachable_clamd_fails_closed_and_keeps_what_was_typed(
        self, client, upload_page, unreachable_clamd
    ):
        start(client, upload_page)
        response = post_step(client, upload_page, SimpleUploadedFile("plan.pdf", PDF))
        assert response.status_code == 200
        assert expected("scanner", "plan.pdf") in html.unescape(errors(response))
        assert 'value="Zie het plan in bijlage"' in response.content.decode()
        assert not Draft.objects.get().data["step_files"].get("2")
        # Earlier steps are kept in the draft.
        assert Draft.objects.get().data["step_data"]["1"]

    def test_unreachable_clamd_with_save_for_later_keeps_the_text(
        self, client, upload_page, unreachable_clamd
    ):
        start(client, upload_page)
        response = client.post(
            upload_page.url + "stap/2/",
            {
                **mgmt(upload_page, "2"),
                "2-toelichting": "Zie het plan in bijlage",
                "2-plan": [SimpleUploadedFile("plan.pdf", PDF)],
                "save_draft": "1",
            },
        )
        assert response.status_code == 302
        draft = Draft.objects.get()
        assert draft.data["step_data"]["2"]["2-toelichting"] == ["Zie het plan in bijlage"]
        assert not draft.data["step_files"].get("2")

    def test_unreachable_clamd_fails_open_when_the_operator_chose_so(
        self, client, upload_page, unreachable_clamd, caplog
    ):
        unreachable_clamd.LOKET_CLAMAV_FAIL_MODE = "open"
        start(client, upload_page)
        with caplog.at_level(logging.ERROR, logger="core.virusscan"):
            response = post_step(client, upload_page, SimpleUploadedFile("plan.pdf", PDF))
        assert response.status_code == 302
        assert Draft.objects.get().data["step_files"]["2"]["2-plan"][0]["name"] == "plan.pdf"
        assert any("accepted unscanned" in r.getMessage() for r in caplog.records)
