"""E-mail texts, decision letters and report categories per municipality
(docs/gemeenten.md, "Teksten per gemeente"): an editor of A keeps A's own; the
shared ones are the installation's; a dossier gets its own municipality's item before
the shared one, never another municipality's."""

from __future__ import annotations

import pytest
from django.test import Client

from cms.municipalities import add_municipality
from dossiers.models import DecisionLetterTemplate, NotificationTemplate, ReportCategory
from dossiers.outbox.texts import editable_text
from dossiers.reports.categories import ManagedCategories
from forms_builder import report_categories
from tests.conftest import make_form_page
from tests.factories import DossierFactory, UserFactory

pytestmark = pytest.mark.django_db

RECEIVED = "application_received"
TEXTS = "/admin/snippets/dossiers/notificationtemplate/"


@pytest.fixture
def towns():
    a = add_municipality(name="Gemeente Aanzee", hostname="aanzee.localhost")
    b = add_municipality(name="Gemeente Bzonder", hostname="bzonder.localhost")
    editor = UserFactory(username="editor_a")
    editor.groups.add(a.editors)
    return a, b, editor


def text(site=None, form_page=None, subject="Gedeeld"):
    return NotificationTemplate.objects.create(
        kind=RECEIVED, site=site, form_page=form_page, language="nl", subject=subject, body="x"
    )


def letter(site=None, form_page=None, legal_basis="Gedeeld"):
    return DecisionLetterTemplate.objects.create(
        site=site, form_page=form_page, language="nl", legal_basis=legal_basis, appeal="Beroep"
    )


def test_a_dossier_gets_its_own_municipalitys_text_before_the_shared_one(towns):
    a, b, _editor = towns
    form = make_form_page(a.home, title="Terras", slug="terras", team=a.team)
    text(subject="Gedeeld")
    text(site=b.site, subject="Van Bzonder")
    assert editable_text(RECEIVED, form.pk, "nl", a.site.pk).subject == "Gedeeld"
    text(site=a.site, subject="Van Aanzee")
    assert editable_text(RECEIVED, form.pk, "nl", a.site.pk).subject == "Van Aanzee"
    assert editable_text(RECEIVED, None, "nl", b.site.pk).subject == "Van Bzonder"
    form_text = NotificationTemplate(
        kind=RECEIVED, form_page=form, language="nl", subject="Van het formulier", body="x"
    )
    form_text.full_clean()  # a form's text belongs to the form's municipality
    form_text.save()
    assert form_text.site_id == a.site.pk
    assert editable_text(RECEIVED, form.pk, "nl", a.site.pk).subject == "Van het formulier"


def test_a_dossier_gets_its_own_municipalitys_letter(towns):
    a, b, _editor = towns
    dossier = DossierFactory(site=a.site)
    letter(legal_basis="Gedeeld")
    letter(site=b.site, legal_basis="Van Bzonder")
    assert DecisionLetterTemplate.for_dossier(dossier, "nl").legal_basis == "Gedeeld"
    letter(site=a.site, legal_basis="Van Aanzee")
    assert DecisionLetterTemplate.for_dossier(dossier, "nl").legal_basis == "Van Aanzee"


def test_one_own_text_per_kind_and_language_per_municipality(towns):
    a, _b, _editor = towns
    text(site=a.site)
    second = NotificationTemplate(kind=RECEIVED, site=a.site, language="nl", subject="s", body="x")
    with pytest.raises(Exception, match="al een tekst"):
        second.full_clean()
    # A shared text of the same kind is another item.
    NotificationTemplate(kind=RECEIVED, language="nl", subject="s", body="x").full_clean()


def test_the_report_form_offers_its_municipalitys_categories_and_the_shared_ones(towns):
    a, b, _editor = towns
    shared = ReportCategory.objects.create(name="Straatverlichting")
    own = ReportCategory.objects.create(name="Strand", site=a.site)
    other = ReportCategory.objects.create(name="Bzonderbos", site=b.site)
    source = ManagedCategories()
    with report_categories.serving_site(a.site.pk):
        names = [group for group, _options in source.grouped_choices()]
        assert source.label(str(own.pk)) == "Strand"
        assert source.label(str(other.pk)) == ""
    assert names == ["Straatverlichting", "Strand"]
    assert source.label(str(shared.pk)) == "Straatverlichting"
    assert source.label(str(own.pk)) == ""  # outside A's form: not offered


def test_an_editor_keeps_only_the_own_municipalitys_texts(towns):
    a, b, editor = towns
    shared = text(subject="Gedeelde tekst")
    own = text(site=a.site, subject="Tekst van Aanzee")
    other = text(site=b.site, subject="Tekst van Bzonder")
    client = Client()
    client.force_login(editor)

    listing = client.get(TEXTS)
    assert listing.status_code == 200
    assert {item.pk for item in listing.context["object_list"]} == {own.pk}
    assert "Gemeente Bzonder" not in listing.content.decode()
    assert client.get(f"{TEXTS}edit/{own.pk}/").status_code == 200
    for item in (other, shared):
        assert client.get(f"{TEXTS}edit/{item.pk}/").status_code in (302, 403, 404)
        assert client.post(f"{TEXTS}delete/{item.pk}/").status_code in (302, 403, 404)
        assert NotificationTemplate.objects.filter(pk=item.pk).exists()

    # Adding: A is the only municipality on offer (and required).
    form = client.get(f"{TEXTS}add/").context["form"]
    assert list(form.fields["site"].queryset) == [a.site]
    response = client.post(
        f"{TEXTS}add/",
        {
            "kind": "application_received",
            "site": b.site.pk,
            "language": "en",
            "subject": "S",
            "body": "B",
        },
    )
    assert response.status_code == 200  # refused: not a valid choice
    assert not NotificationTemplate.objects.filter(language="en").exists()


def test_an_editor_chooses_only_the_own_report_categories(towns):
    a, b, editor = towns
    ReportCategory.objects.create(name="Aanzeestrand", site=a.site)
    ReportCategory.objects.create(name="Bzonderbos", site=b.site)
    ReportCategory.objects.create(name="Gedeelde categorie")
    client = Client()
    client.force_login(editor)
    for url in (
        "/admin/snippets/dossiers/reportcategory/",
        "/admin/snippets/choose/dossiers/reportcategory/",
    ):
        body = client.get(url).content.decode()
        assert "Aanzeestrand" in body, url
        assert "Bzonderbos" not in body and "Gedeelde categorie" not in body, url
    form = client.get("/admin/snippets/dossiers/reportcategory/add/").context["form"]
    assert [each.name for each in form.fields["parent"].queryset] == ["Aanzeestrand"]


def test_a_municipalitys_editors_get_the_snippet_rights(towns):
    _a, _b, editor = towns
    for model in ("notificationtemplate", "decisionlettertemplate", "reportcategory"):
        assert editor.has_perm(f"dossiers.change_{model}")
