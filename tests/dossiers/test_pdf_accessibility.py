"""Every PDF Loket makes is a tagged PDF/UA-1 document (issue #25).

Each kind of PDF is opened with pypdf and read the way a screen reader reads it: through
its structure tree, not its drawing order. A kind fails when the tree, ``MarkInfo``, the
language or the title is missing, when a font is not embedded, when an image has no
text alternative, when a table's data cells have no header cells, or when its text
cannot be read from the tree in the order the applicant should hear it.

A new kind of PDF (a permit, a payment request, ...) is added to :data:`PDF_KINDS`.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from wagtail.models import Site
from wagtail_factories import ImageFactory

from cms.models.branding import SiteBranding
from dossiers import services, workflow
from dossiers.college import agenda
from dossiers.college import services as college
from dossiers.constants import Status
from dossiers.models import CollegeMeeting, PaymentSettings
from dossiers.outbox import letters, receipt
from dossiers.payments import document as payment_document
from dossiers.payments import services as payments
from dossiers.permits import document as permit_document
from tests.factories import terrace_answers

pytestmark = pytest.mark.django_db

#: Text drawn in the page margins: WeasyPrint marks it but keeps it out of the tree
#: (PDF 1.7 has no artifacts in the tree), so a screen reader skips it. Nothing else may
#: be left out.
MARGIN_TEXT = re.compile(r"^\d+ / \d+$")


@dataclass
class Node:
    """One element of the structure tree, with the text of its own marked content."""

    tag: str
    element: DictionaryObject
    text: str = ""
    children: list[Node] = field(default_factory=list)

    def all_text(self) -> str:
        return " ".join(
            part for part in [self.text, *(c.all_text() for c in self.children)] if part
        )

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class TaggedPdf:
    """What a screen reader gets from a PDF."""

    reader: PdfReader
    tree: Node | None
    #: Text shown on the pages that no element of the tree reaches.
    untagged_text: list[str]

    @property
    def catalog(self) -> DictionaryObject:
        return self.reader.trailer["/Root"]

    def elements(self, tag: str) -> list[Node]:
        return [node for node in self.tree.walk() if node.tag == tag] if self.tree else []

    def reading_order(self) -> str:
        """All text of the tree, in the tree's order, on one line."""
        return re.sub(r"\s+", " ", self.tree.all_text()) if self.tree else ""


def _marked_text(reader: PdfReader) -> dict[tuple[int, int], str]:
    """The text of every marked-content sequence: (page index, MCID) -> text."""
    texts: dict[tuple[int, int], list[str]] = defaultdict(list)
    for index, page in enumerate(reader.pages):
        stack: list[int | None] = []

        def before(operator, operands, cm, tm, stack=stack):
            if operator == b"BDC":
                properties = operands[1] if len(operands) > 1 else None
                mcid = properties.get("/MCID") if isinstance(properties, dict) else None
                stack.append(mcid)
            elif operator == b"BMC":
                stack.append(None)
            elif operator == b"EMC" and stack:
                stack.pop()

        def on_text(text, cm, tm, font, size, stack=stack, index=index):
            mcid = next((m for m in reversed(stack) if m is not None), None)
            texts[(index, mcid)].append(text)

        page.extract_text(visitor_operand_before=before, visitor_text=on_text)
    return {key: "".join(parts).strip() for key, parts in texts.items()}


def read_tagged(pdf: bytes) -> TaggedPdf:
    reader = PdfReader(io.BytesIO(pdf))
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    marked = _marked_text(reader)
    reached: set[tuple[int, int]] = set()

    def build(element: DictionaryObject, page: int | None) -> Node:
        if "/Pg" in element:
            page = pages[element.raw_get("/Pg").idnum]
        node = Node(tag=str(element.get("/S", "")).lstrip("/"), element=element)
        kids = element.get("/K")
        kids = kids if isinstance(kids, ArrayObject) else [] if kids is None else [kids]
        own_text = []
        for kid in kids:
            if isinstance(kid, IndirectObject):
                kid = kid.get_object()
            if isinstance(kid, int):
                reached.add((page, kid))
                own_text.append(marked.get((page, kid), ""))
            elif isinstance(kid, DictionaryObject) and kid.get("/Type") == "/MCR":
                kid_page = pages[kid.raw_get("/Pg").idnum] if "/Pg" in kid else page
                reached.add((kid_page, kid["/MCID"]))
                own_text.append(marked.get((kid_page, kid["/MCID"]), ""))
            elif isinstance(kid, DictionaryObject) and kid.get("/Type") != "/OBJR":
                node.children.append(build(kid, page))
        node.text = " ".join(part for part in own_text if part)
        return node

    tree = None
    if "/StructTreeRoot" in reader.trailer["/Root"]:
        tree = build(reader.trailer["/Root"]["/StructTreeRoot"], None)
    untagged = [text for key, text in marked.items() if key not in reached and text]
    return TaggedPdf(reader=reader, tree=tree, untagged_text=untagged)


def accessibility_problems(pdf: TaggedPdf) -> list[str]:
    """What keeps this PDF from being a tagged, readable PDF/UA-1 document."""
    catalog, problems = pdf.catalog, []
    if pdf.tree is None or not pdf.tree.children:
        problems.append("no structure tree (/StructTreeRoot)")
    if not catalog.get("/MarkInfo", {}).get("/Marked"):
        problems.append("not marked as tagged (/MarkInfo /Marked)")
    if not str(catalog.get("/Lang", "")).strip():
        problems.append("no document language (/Lang)")
    if not str((pdf.reader.metadata or {}).get("/Title", "")).strip():
        problems.append("no title (/Info /Title)")
    xmp = pdf.reader.xmp_metadata
    if xmp is None or not (xmp.dc_title or {}).get("x-default"):
        problems.append("no title in the XMP metadata (dc:title)")
    if not catalog.get("/ViewerPreferences", {}).get("/DisplayDocTitle"):
        problems.append("the viewer shows the file name, not the title (DisplayDocTitle)")
    metadata = catalog.get("/Metadata")
    if metadata is None or b"pdfuaid:part" not in metadata.get_data():
        problems.append("no PDF/UA identification in the XMP metadata (pdfuaid:part)")
    for name, font in _fonts(pdf.reader):
        descriptor = font.get("/FontDescriptor", {})
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            problems.append(f"font {name} is not embedded")
    for figure in pdf.elements("Figure"):
        if not str(figure.element.get("/Alt", "")).strip():
            problems.append("an image without a text alternative (/Alt)")
    for cell in pdf.elements("TD"):
        if not cell.element.get("/A", {}).get("/Headers"):
            problems.append(f"table cell {cell.all_text()!r} has no header cell")
    for text in pdf.untagged_text:
        if not MARGIN_TEXT.match(text):
            problems.append(f"text outside the structure tree: {text!r}")
    return problems


def _fonts(reader: PdfReader):
    for page in reader.pages:
        for name, font in page["/Resources"].get("/Font", {}).items():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                yield name, descendant.get_object()


def pdf_bytes(attachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


# --- the kinds of PDF -----------------------------------------------------------------


@pytest.fixture
def branding(db):
    """A municipality with an address and a logo, as on a real letterhead."""
    settings = SiteBranding.for_site(Site.objects.get(is_default_site=True))
    settings.municipality_name = "Gemeente Voorbeeld"
    settings.address = "Markt 1\n9999 Voorbeeld"
    settings.logo = ImageFactory(title="Logo")
    settings.save()
    return settings


@pytest.fixture
def dossier(form_page, economy, branding):
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    dossier.team = economy
    dossier.status = Status.IN_REVIEW
    dossier.save()
    return dossier


def make_receipt(dossier, officer) -> bytes:
    return pdf_bytes(receipt.ensure_receipt(dossier.pk))


def receipt_reading_order(dossier) -> list[str]:
    return [
        "Gemeente Voorbeeld",
        _("Receipt of your application"),
        _("Reference"),
        dossier.reference,
        dossier.schema["steps"][0]["title"],
        "Café De Markt",
        dossier.schema["steps"][1]["title"],
        "Open terras",
    ]


def make_decision_letter(dossier, officer) -> bytes:
    text = "U mag het terras plaatsen.\n\nHou de doorgang vrij."
    workflow.transition(dossier, "approve", actor=officer, data={"decision": text})
    return pdf_bytes(letters.ensure_decision_letter(dossier.pk))


def decision_letter_reading_order(dossier) -> list[str]:
    return [
        "Gemeente Voorbeeld",
        _("Reference"),
        dossier.reference,
        _("Your application is approved"),
        "U mag het terras plaatsen.",
        "Hou de doorgang vrij.",
        _("Kind regards,"),
    ]


def make_payment_request(dossier, officer) -> bytes:
    account = PaymentSettings.for_site(Site.objects.get(is_default_site=True))
    account.creditor_name = "Gemeente Voorbeeld"
    account.iban = "BE71096123456769"
    account.bic = "GKCCBEBB"
    account.save()
    dossier.amount_due = "150.00"
    dossier.save()
    payments.request_payment(dossier, officer)
    return payment_document.payment_request_pdf(dossier)


def payment_request_reading_order(dossier) -> list[str]:
    reference = dossier.payment_requests.get().display_reference
    return [
        "Gemeente Voorbeeld",
        _("Payment request"),
        _("Reference"),
        dossier.reference,
        _("What to pay"),
        _("Amount"),
        "150,00",
        _("Structured communication"),
        reference,
        _("Pay with your banking app"),
    ]


def make_college_agenda(dossier, officer) -> bytes:
    meeting = CollegeMeeting.objects.create(date=datetime.date.today() + datetime.timedelta(1))
    dossier.stages = ["college"]
    dossier.save()
    college.propose(
        dossier, officer, meeting=meeting, outcome="approved", decision="U mag het terras."
    )
    return agenda.agenda_pdf(meeting)


def college_agenda_reading_order(dossier) -> list[str]:
    return [
        "Gemeente Voorbeeld",
        _("College of mayor and aldermen: meeting of %(date)s") % agenda_values(dossier),
        _("Reference"),
        _("Proposed decision"),
        dossier.reference,
        "Café De Markt",
        "U mag het terras.",
    ]


def agenda_values(dossier) -> dict:
    meeting = CollegeMeeting.objects.get()
    with translation.override("nl"):
        return {"date": date_format(meeting.date, "j F Y")}


def make_permit(dossier, officer) -> bytes:
    dossier.stages = ["permit"]
    dossier.save()
    workflow.transition(
        dossier,
        "approve",
        actor=officer,
        data={
            "decision": "U mag het terras plaatsen.",
            "valid_from": "2027-04-01",
            "valid_until": "2027-09-30",
            "place": "Markt 1, voor het café",
            "conditions": "Hou 1,5 meter vrij voor voetgangers.",
        },
    )
    return permit_document.permit_pdf(dossier)


def permit_reading_order(dossier) -> list[str]:
    return [
        "Gemeente Voorbeeld",
        dossier.permit.kind,
        _("Reference"),
        dossier.reference,
        "Markt 1, voor het café",
        _("Decision"),
        "U mag het terras plaatsen.",
        _("Conditions"),
        "Hou 1,5 meter vrij voor voetgangers.",
        _("Check this permit"),
    ]


@dataclass(frozen=True)
class PdfKind:
    """How a test makes one kind of PDF and what its reader must hear, in order."""

    make: Callable
    reading_order: Callable
    title: str
    h1: str
    #: Figures after the logo (e.g. a QR code), each with a text alternative.
    other_figures: int = 0
    #: The values of the title's and the heading's placeholders.
    values: Callable = lambda dossier: {"reference": dossier.reference}
    #: Whether the document is in the applicant's language (a college agenda is the
    #: municipality's own paper, in the site's language).
    follows_applicant: bool = True


#: Every kind of PDF Loket makes.
PDF_KINDS = {
    "receipt": PdfKind(
        make_receipt,
        receipt_reading_order,
        title="Receipt of application %(reference)s",
        h1="Receipt of your application",
    ),
    "decision_letter": PdfKind(
        make_decision_letter,
        decision_letter_reading_order,
        title="Decision on dossier %(reference)s",
        h1="Your application is approved",
    ),
    "payment_request": PdfKind(
        make_payment_request,
        payment_request_reading_order,
        title="Payment request for application %(reference)s",
        h1="Payment request",
        other_figures=1,
    ),
    "college_agenda": PdfKind(
        make_college_agenda,
        college_agenda_reading_order,
        title="Agenda of the college meeting of %(date)s",
        h1="College of mayor and aldermen: meeting of %(date)s",
        values=agenda_values,
        follows_applicant=False,
    ),
    "permit": PdfKind(
        make_permit,
        permit_reading_order,
        title="Permit for application %(reference)s",
        h1="%(kind)s",
        other_figures=1,
        values=lambda dossier: {"reference": dossier.reference, "kind": dossier.permit.kind},
    ),
}


@pytest.fixture(params=sorted(PDF_KINDS))
def kind(request) -> PdfKind:
    return PDF_KINDS[request.param]


# --- the tests ------------------------------------------------------------------------


def test_every_kind_is_a_tagged_pdf_ua_document(kind, dossier, officer, caplog):
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        pdf = read_tagged(kind.make(dossier, officer))

    assert accessibility_problems(pdf) == []
    # WeasyPrint reports what it cannot tag (an image without alt, no lang) as errors.
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_language_and_title_follow_the_applicant(kind, dossier, officer):
    pdf = read_tagged(kind.make(dossier, officer))

    with translation.override("nl"):
        title = _(kind.title) % kind.values(dossier)
    assert pdf.catalog["/Lang"] == "nl"
    assert pdf.reader.metadata.title == title
    assert pdf.reader.xmp_metadata.dc_title["x-default"] == title
    assert pdf.reader.metadata.author == "Gemeente Voorbeeld"


def test_an_english_applicant_gets_an_english_document(kind, dossier, officer):
    dossier.language = "en"
    dossier.save()

    pdf = read_tagged(kind.make(dossier, officer))

    if not kind.follows_applicant:
        assert pdf.catalog["/Lang"] == "nl"
        return
    assert pdf.catalog["/Lang"] == "en"
    assert pdf.reader.metadata.title == kind.title % kind.values(dossier)
    assert [h.all_text() for h in pdf.elements("H1")] == [kind.h1 % kind.values(dossier)]


def test_text_is_read_from_the_tree_in_order(kind, dossier, officer):
    pdf = read_tagged(kind.make(dossier, officer))
    text = pdf.reading_order()

    with translation.override("nl"):
        expected = kind.reading_order(dossier)
    position = 0
    for part in expected:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} not read after position {position} in: {text}"
        position = found + len(part)


def test_one_h1_then_headings_in_order(kind, dossier, officer):
    pdf = read_tagged(kind.make(dossier, officer))

    headings = [n for n in pdf.tree.walk() if re.fullmatch(r"H[1-6]", n.tag)]
    with translation.override("nl"):
        h1 = _(kind.h1) % kind.values(dossier)
        assert headings[0].tag == "H1" and headings[0].all_text() == h1
    assert [h.tag for h in headings].count("H1") == 1
    levels = [int(h.tag[1]) for h in headings]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_the_logo_is_a_figure_with_the_municipalitys_name(kind, dossier, officer):
    pdf = read_tagged(kind.make(dossier, officer))

    with translation.override("nl"):
        alt = _("Logo of %(name)s") % {"name": "Gemeente Voorbeeld"}
    alts = [str(f.element.get("/Alt", "")) for f in pdf.elements("Figure")]
    assert alts[0] == alt
    assert len(alts) == 1 + kind.other_figures
    assert all(alts)


def test_the_qr_code_of_a_payment_request_says_what_it_pays(dossier, officer):
    pdf = read_tagged(make_payment_request(dossier, officer))

    payment_request = dossier.payment_requests.get()
    alts = [str(f.element["/Alt"]) for f in pdf.elements("Figure")]
    assert alts[1] == (
        "QR-code voor uw bankapp: een overschrijving van € 150,00 met gestructureerde "
        f"mededeling {payment_request.display_reference}"
    )


def test_facts_are_a_table_with_row_headers(kind, dossier, officer):
    pdf = read_tagged(kind.make(dossier, officer))

    table = pdf.elements("Table")[0]
    headers = {str(th.element["/ID"]): th.all_text() for th in table.walk() if th.tag == "TH"}
    with translation.override("nl"):
        reference = _("Reference")
    [cell] = [td for td in table.walk() if td.tag == "TD" and td.all_text() == dossier.reference]
    assert [headers[str(key)] for key in cell.element["/A"]["/Headers"]] == [reference]


def test_the_checks_catch_an_untagged_pdf(dossier):
    """The checks themselves: a plain WeasyPrint PDF, as Loket made them before, fails."""
    from weasyprint import HTML

    plain = HTML(string=receipt.render_receipt_html(dossier)).write_pdf()

    problems = accessibility_problems(read_tagged(plain))

    assert "no structure tree (/StructTreeRoot)" in problems
    assert "not marked as tagged (/MarkInfo /Marked)" in problems
    assert "no PDF/UA identification in the XMP metadata (pdfuaid:part)" in problems


def test_only_data_uris_are_fetched(tmp_path, monkeypatch):
    """The logo comes inline; a file or web address in a letter is never fetched."""
    import urllib.request

    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for letters")
    opened = []
    monkeypatch.setattr(
        urllib.request.OpenerDirector, "open", lambda self, *a, **k: opened.append(a)
    )
    html = (
        '<html lang="nl"><head><title>T</title></head><body><p>Brief</p>'
        f'<img src="file://{secret}" alt="a"><img src="https://example.org/x.png" alt="b">'
        "</body></html>"
    )

    pdf = letters.html_to_pdf(html)

    assert pdf.startswith(b"%PDF") and opened == []
