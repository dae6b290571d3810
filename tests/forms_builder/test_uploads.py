"""File uploads in the wizard: checks, drafts, removal, and attachments at submission."""

import io
import re

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import Attachment, Dossier
from forms_builder.models import Draft
from tests.conftest import make_form_page
from tests.files import PDF, PNG

UPLOAD_STEPS = [
    {
        "type": "step",
        "value": {
            "title": "Contact",
            "intro": "",
            "fields": [
                {
                    "type": "email",
                    "value": {
                        "label": "E-mail",
                        "name": "email",
                        "required": True,
                        "maps_to": "applicant_email",
                    },
                },
            ],
        },
    },
    {
        "type": "step",
        "value": {
            "title": "Documenten",
            "intro": "",
            "fields": [
                {
                    "type": "file_upload",
                    "value": {
                        "label": "Plan van het terras",
                        "name": "plan",
                        "required": True,
                        "multiple": True,
                        "allowed_types": ["pdf", "png"],
                        "max_file_mb": 1,
                        "max_total_mb": 2,
                        "max_files": 2,
                    },
                },
            ],
        },
    },
]


@pytest.fixture
def upload_page(home_page, team):
    return make_form_page(
        home_page, slug="met-bijlage", reference_prefix="BIJ", steps=UPLOAD_STEPS, team=team
    )


def mgmt(page, step):
    return {f"loket-form-{page.pk}-current_step": step}


def start(client, page):
    response = client.post(page.url + "stap/1/", {**mgmt(page, "1"), "1-email": "an@example.be"})
    assert response.status_code == 302
    assert response["Location"].endswith("/stap/2/")


def post_files(client, page, *files, **extra):
    return client.post(page.url + "stap/2/", {**mgmt(page, "2"), "2-plan": list(files), **extra})


def errors(response) -> str:
    return " ".join(
        re.findall(r'class="error-message"[^>]*>(.*?)</p>', response.content.decode(), re.S)
    )


@pytest.mark.django_db
def test_a_real_pdf_and_png_are_accepted_and_become_attachments(
    client, upload_page, django_capture_on_commit_callbacks
):
    start(client, upload_page)
    response = post_files(
        client,
        upload_page,
        SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("foto.png", PNG, content_type="image/png"),
    )
    assert response.status_code == 302 and response["Location"].endswith("/controleren/")
    draft = Draft.objects.get()
    draft_files = [info["tmp_name"] for info in draft.data["step_files"]["2"]["2-plan"]]
    assert len(draft_files) == 2
    assert all(name.startswith("drafts/") for name in draft_files)

    check = client.get(response["Location"])
    assert "plan.pdf" in check.content.decode() and "foto.png" in check.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(upload_page.url + "controleren/", {})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    attachments = list(Attachment.objects.filter(dossier=dossier))
    assert [a.original_name for a in attachments] == ["plan.pdf", "foto.png"]
    assert attachments[0].field_name == "plan"
    with attachments[0].file.open("rb") as handle:
        assert handle.read() == PDF
    assert attachments[0].file.name.startswith(f"dossiers/{dossier.public_id}/")
    assert [item["name"] for item in dossier.answers[dossier.schema["steps"][1]["id"]]["plan"]] == [
        "plan.pdf",
        "foto.png",
    ]
    # The draft's own copies are removed once the dossier has them.
    storage = storages["private"]
    assert not any(storage.exists(name) for name in draft_files)


@pytest.mark.django_db
def test_a_file_that_only_pretends_to_be_a_pdf_is_refused(client, upload_page):
    start(client, upload_page)
    response = post_files(
        client,
        upload_page,
        SimpleUploadedFile("plan.pdf", PNG, content_type="application/pdf"),
    )
    assert response.status_code == 200
    assert "plan.pdf" in errors(response)
    assert not Draft.objects.get().data["step_files"].get("2")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("script.exe", b"MZ\x90\x00" + b"\x00" * 100),
        SimpleUploadedFile("leeg.pdf", b""),
        SimpleUploadedFile("groot.pdf", PDF + b"0" * (1024 * 1024 + 1)),
    ],
    ids=["extension", "empty", "too-large"],
)
def test_wrong_files_get_a_message_next_to_the_field(client, upload_page, upload):
    start(client, upload_page)
    response = post_files(client, upload_page, upload)
    assert response.status_code == 200
    assert upload.name in errors(response)
    assert 'class="error-summary"' in response.content.decode()


@pytest.mark.django_db
def test_more_files_than_allowed_is_refused(client, upload_page):
    start(client, upload_page)
    response = post_files(
        client,
        upload_page,
        *[SimpleUploadedFile(f"plan{i}.pdf", PDF) for i in range(3)],
    )
    assert response.status_code == 200
    assert errors(response)


@pytest.mark.django_db
def test_required_upload_needs_a_file(client, upload_page):
    start(client, upload_page)
    response = post_files(client, upload_page)
    assert response.status_code == 200
    assert errors(response)


@pytest.mark.django_db
def test_files_stay_when_the_step_is_sent_again_and_can_be_removed(client, upload_page):
    start(client, upload_page)
    post_files(
        client,
        upload_page,
        SimpleUploadedFile("plan.pdf", PDF),
        SimpleUploadedFile("foto.png", PNG),
    )
    stored = Draft.objects.get().data["step_files"]["2"]["2-plan"]
    names = [info["tmp_name"] for info in stored]

    # Back on the step, the files are listed with a "keep" box each.
    page = client.get(upload_page.url + "stap/2/").content.decode()
    assert page.count('name="2-plan-keep"') == 3  # two boxes and the hidden marker

    # Sending the step again without new files keeps both.
    response = client.post(
        upload_page.url + "stap/2/",
        {**mgmt(upload_page, "2"), "2-plan-keep": ["", *names]},
    )
    assert response.status_code == 302
    assert len(Draft.objects.get().data["step_files"]["2"]["2-plan"]) == 2

    # Unticking one removes it, from the draft and from the storage.
    response = client.post(
        upload_page.url + "stap/2/",
        {**mgmt(upload_page, "2"), "2-plan-keep": ["", names[1]]},
    )
    assert response.status_code == 302
    remaining = Draft.objects.get().data["step_files"]["2"]["2-plan"]
    assert [info["name"] for info in remaining] == ["foto.png"]
    assert not storages["private"].exists(names[0])
    assert storages["private"].exists(names[1])


@pytest.mark.django_db
def test_uploads_survive_save_and_resume(client, upload_page, django_capture_on_commit_callbacks):
    from django.core import mail

    start(client, upload_page)
    post_files(client, upload_page, SimpleUploadedFile("plan.pdf", PDF))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(upload_page.url + "bewaren/", {"email": "an@example.be"})
    link = re.search(r"https?://\S+/hervatten/\S+/", mail.outbox[-1].body).group(0)

    other_device = type(client)()
    response = other_device.get(re.sub(r"^https?://[^/]+", "", link), follow=True)
    assert response.status_code == 200
    check = other_device.get(upload_page.url + "controleren/")
    assert check.status_code == 200
    assert "plan.pdf" in check.content.decode()


def test_detected_content_type_reads_magic_bytes():
    from core.uploads import detected_content_type

    assert detected_content_type(io.BytesIO(PDF)) == "application/pdf"
    assert detected_content_type(io.BytesIO(PNG)) == "image/png"
    assert detected_content_type(io.BytesIO(b"plain text")) is None


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes, str]]) -> tuple:
    """A multipart body written by hand, so that file names reach Django's parser exactly
    as a hostile client sends them (the test client keeps only the base name)."""
    boundary = "loket-test-boundary"
    parts = []
    for name, value in fields.items():
        header = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{header}{value}\r\n".encode())
    for field, filename, content, content_type in files:
        parts.append(
            (
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="{field}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.django_db
def test_hostile_names_and_types_never_reach_the_storage(
    client, upload_page, django_capture_on_commit_callbacks
):
    """Path parts are dropped, the stored name is made safe and random, and the file's
    type is what its bytes show, not what the browser claimed."""
    start(client, upload_page)
    body, content_type = multipart(
        mgmt(upload_page, "2"),
        [
            ("2-plan", "../../../etc/plan.pdf", PDF, "text/html"),
            ("2-plan", "..\\..\\<script>foto.png", PNG, "image/svg+xml"),
        ],
    )
    response = client.post(upload_page.url + "stap/2/", body, content_type=content_type)
    assert response.status_code == 302

    infos = Draft.objects.get().data["step_files"]["2"]["2-plan"]
    assert [info["name"] for info in infos] == ["plan.pdf", "<script>foto.png"]
    assert [info["content_type"] for info in infos] == ["application/pdf", "image/png"]
    for info in infos:
        assert info["tmp_name"].startswith("drafts/") and ".." not in info["tmp_name"]
        assert re.fullmatch(r"drafts/[0-9a-f]{32}/[\w.-]+", info["tmp_name"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(upload_page.url + "controleren/", {})
    dossier = Dossier.objects.get()
    attachments = list(dossier.attachments.order_by("pk"))
    assert [a.content_type for a in attachments] == ["application/pdf", "image/png"]
    for attachment in attachments:
        assert re.fullmatch(
            rf"dossiers/{dossier.public_id}/[0-9a-f]{{16}}/[\w.-]+", attachment.file.name
        )
    step_id = dossier.schema["steps"][1]["id"]
    assert [item["content_type"] for item in dossier.answers[step_id]["plan"]] == [
        "application/pdf",
        "image/png",
    ]
