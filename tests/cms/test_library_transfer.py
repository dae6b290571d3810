"""A library template as a file: exported from one installation's library, imported
into another's, with its uid (origin), versions, notes and dates (cms/library/transfer.py)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.library import services, transfer
from cms.library.models import LibraryTemplate
from tests.cms.test_library import change_page, library_form, library_home  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(library_form):  # noqa: F811
    services.publish_version(library_form, change_note="Eerste versie.")
    change_page(library_form, intro="<p>Vraag uw terras op tijd aan.</p>")
    services.publish_version(library_form, change_note="De uitleg is korter.")
    template = library_form.library_template
    document = transfer.export_template(template)
    before = {
        "uid": template.uid,
        "versions": [
            (v.number, v.change_note, v.content, v.published_at)
            for v in template.versions.order_by("number")
        ],
    }
    return document, before


def elsewhere(document):
    """The file read in another installation: this template is not there (yet)."""
    LibraryTemplate.objects.all().delete()
    return json.loads(json.dumps(document))  # as written to and read from a file


def test_a_template_travels_with_its_versions_and_origin(exported, home_page):
    document, before = exported
    template, added = transfer.import_template(elsewhere(document))
    assert added == 2
    assert template.uid == before["uid"]
    assert template.source_page is None
    assert [
        (v.number, v.change_note, v.content, v.published_at)
        for v in template.versions.order_by("number")
    ] == before["versions"]
    # Municipalities adopt it from its newest version.
    editor = UserFactory(username="gemeente", is_superuser=True)
    page = services.adopt(template, home_page, user=editor, reference_prefix="IMP")
    assert page.library_origin.version.number == 2


def test_importing_again_adds_only_the_missing_versions(exported):
    document, _before = exported
    only_first = {**document, "versions": document["versions"][:1]}
    template, added = transfer.import_template(elsewhere(only_first))
    assert (added, template.versions.count()) == (1, 1)
    again, added = transfer.import_template(json.loads(json.dumps(document)))
    assert again.pk == template.pk and added == 1 and again.versions.count() == 2
    assert transfer.import_template(json.loads(json.dumps(document)))[1] == 0


def test_a_version_published_differently_elsewhere_is_refused(exported):
    document, _before = exported
    template, _added = transfer.import_template(elsewhere(document))
    clash = json.loads(json.dumps(document))
    clash["versions"][1]["content"]["anders"] = "Een ander terras"
    with pytest.raises(ValidationError, match="anders|different"):
        transfer.import_template(clash)
    assert template.versions.count() == 2


@pytest.mark.parametrize(
    "data",
    [b"geen json", b"[]", b'{"format": "loket-application-form", "version": 1}'],
)
def test_a_file_that_is_no_template_gets_a_plain_message(data):
    with pytest.raises(ValidationError):
        transfer.import_template(transfer.read_file(data))


def test_export_and_import_through_the_admin(exported, client):
    document, before = exported
    admin = UserFactory(username="beheer", is_superuser=True, is_staff=True)
    client.force_login(admin)
    template = LibraryTemplate.objects.get()
    response = client.get(reverse("cms_library_export", args=[template.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = response.content
    LibraryTemplate.objects.all().delete()
    upload = SimpleUploadedFile("sjabloon.json", data, content_type="application/json")
    response = client.post(reverse("cms_library_import"), {"file": upload})
    assert response.status_code == 302
    assert LibraryTemplate.objects.get().uid == before["uid"]
    bad = SimpleUploadedFile("x.json", b"{}", content_type="application/json")
    response = client.post(reverse("cms_library_import"), {"file": bad})
    assert response.status_code == 200 and "bibliotheek" in response.content.decode().lower()


def test_an_officer_cannot_export_or_import(exported, client):
    officer = UserFactory(username="behandelaar")
    client.force_login(officer)
    template = LibraryTemplate.objects.get()
    assert client.get(reverse("cms_library_export", args=[template.pk])).status_code in (302, 403)
    assert client.get(reverse("cms_library_import")).status_code in (302, 403)
