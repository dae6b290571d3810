"""Two municipalities on one installation: an officer and an editor of A never see B.

The walk enumerates every URL pattern of the admin (so a new screen is walked without
changing this test), fills its parameters with the ids of B's objects, opens it as an
officer and as an editor of A, and fails when an answer shows one of B's marks (a
dossier's reference, a company, a page title, a file name, ...). The screens of B's
own objects (its dossier, file, pages, images, documents) must not even answer 200.
"""

from __future__ import annotations

import datetime
import itertools
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.tests.utils import get_test_image_file

from cms.models import ContentPage
from cms.municipalities import add_municipality
from dossiers.constants import PaymentStatus
from dossiers.models import (
    AdviceParty,
    Appointment,
    AppointmentType,
    Attachment,
    BankStatement,
    CollegeMeeting,
    CollegeProposal,
    DecisionLetterTemplate,
    Desk,
    Grant,
    GrantState,
    LineState,
    NotificationTemplate,
    PaymentRequest,
    PayoutBatch,
    Refund,
    RefundReason,
    ReportCategory,
    StatementLine,
)
from dossiers.payments.access import FINANCE_GROUP
from tests.conftest import make_form_page
from tests.factories import DossierFactory, UserFactory

pytestmark = pytest.mark.django_db

#: Admin URL names left out of the walk, each with why. The screens that show what is
#: installation-wide (teams, sites, users, groups, settings of the installation) are
#: walked too: officers and editors of a municipality get no 200 there.
SKIPPED = {
    "wagtailadmin_logout": "signs the walker out",
    "wagtailadmin_login": "the sign-in page, before any data",
    "wagtailadmin_password_reset": "no data",
}
SKIPPED_PREFIXES = (
    # Password reset and two-factor steps carry tokens, not objects.
    "wagtailadmin_password_reset_",
    "two_factor_",
)

#: What B's objects are called; any of these in an answer to A's users is a leak.
B_MARKS = {
    "reference": "BZO-TER-2026-00077",
    "company": "Bzonderling bvba",
    "applicant": "Bea Bzonderling",
    "page": "Bzonderpagina over terrassen",
    "home": "Bzonderhome",
    "form": "Bzonderformulier terras",
    "image": "Bzonderbeeld marktplein",
    "document": "Bzonderdocument reglement",
    "file": "bzonder-bijlage.pdf",
    "decision": "Bzonderbesluit: het terras mag",
    "desk": "Bzonderbalie",
    "appointment": "Bert Bzonderbezoeker",
    "statement": "bzonder-uittreksel.cod",
    "counterparty": "Bzonderbetaler",
    "batch": "BZONDERBATCH-0001",
    "account holder": "Bzonderhouder",
    "appointment type": "Bzondergesprek",
    "e-mail text": "Bzonderonderwerp van de e-mail",
    "letter": "Bzonderreglement op terrassen",
    "report category": "Bzondercategorie",
    "advice party": "Bzonderbrandweer",
}

#: The accounts of the two municipalities (Settings → Payments).
IBAN_A = "BE71096123456769"
IBAN_B = "BE43068999999501"

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<regex_name>\w+)>")


def admin_patterns():
    """(route, URLPattern) of every admin URL, routes as written (``admin/pages/<int:...>``)."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route, pattern

    return [
        (route, pattern)
        for route, pattern in walk(get_resolver().url_patterns)
        if route.lstrip("^").startswith("admin/")
    ]


def concrete_urls(route: str, values: dict[str, list[str]]):
    """The URLs of ``route`` with its parameters filled in every way ``values`` gives."""
    names = [m["name"] or m["regex_name"] for m in PARAMETER.finditer(route)]
    choices = [values.get(name, values["*"]) for name in names]
    for combination in itertools.product(*choices):
        filled = iter(combination)
        url = PARAMETER.sub(lambda _match, filled=filled: next(filled), route)
        url = url.replace("^", "").replace("$", "").replace("\\", "")
        yield "/" + url


@pytest.fixture
def two_municipalities():
    a = add_municipality(
        name="Gemeente Aanzee",
        hostname="aanzee.localhost",
        reference_code="AAN",
        creditor_name="Gemeente Aanzee",
        iban=IBAN_A,
    )
    b = add_municipality(
        name="Gemeente Bzonder",
        hostname="bzonder.localhost",
        reference_code="BZO",
        creditor_name="Gemeente Bzonder",
        iban=IBAN_B,
    )
    b.home.title = B_MARKS["home"]
    b.home.save_revision().publish()
    form_a = make_form_page(a.home, title="Terras in Aanzee", slug="terras", team=a.team)
    form_b = make_form_page(
        b.home, title=B_MARKS["form"], slug="terras", reference_prefix="TEB", team=b.team
    )
    page_b = b.home.add_child(instance=ContentPage(title=B_MARKS["page"], slug="bzonderpagina"))
    DossierFactory(site=a.site, team=a.team, form_page=form_a, reference="AAN-TER-2026-00001")
    dossier_b = DossierFactory(
        site=b.site,
        team=b.team,
        form_page=form_b,
        reference=B_MARKS["reference"],
        form_title=B_MARKS["form"],
        company_name=B_MARKS["company"],
        applicant_name=B_MARKS["applicant"],
    )
    attachment = Attachment(
        dossier=dossier_b, original_name=B_MARKS["file"], size=4, content_type="application/pdf"
    )
    attachment.file.save(B_MARKS["file"], ContentFile(b"%PDF"), save=True)
    from wagtail.images.models import Image

    image = Image.objects.create(
        title=B_MARKS["image"], file=get_test_image_file(), collection=b.collection
    )
    document = Document.objects.create(
        title=B_MARKS["document"],
        file=ContentFile(b"reglement", name="reglement.txt"),
        collection=b.collection,
    )
    # B's proposal on the college's list (a meeting every officer may open).
    meeting = CollegeMeeting.objects.create(date=datetime.date(2026, 12, 21))
    CollegeProposal.objects.create(
        meeting=meeting,
        dossier=dossier_b,
        proposed_outcome="approved",
        decision_text=B_MARKS["decision"],
    )
    money = b_money(dossier_b, b.site)
    snippets = b_snippets(b.site)
    appointment = b_appointment(b.site, dossier_b)
    officer = UserFactory(username="officer_a")
    officer.groups.add(a.team.group)
    editor = UserFactory(username="editor_a")
    editor.groups.add(a.editors)
    # Finance staff of A: in the "Financiën" group and in A's team.
    finance = UserFactory(username="finance_a")
    finance.groups.add(a.team.group, Group.objects.get(name=FINANCE_GROUP))
    return {
        "a": a,
        "b": b,
        "officer": officer,
        "editor": editor,
        "finance": finance,
        "objects": {
            **money,
            **snippets,
            "appointment": appointment.pk,
            "desk": appointment.desk_id,
            "dossier": dossier_b.pk,
            "attachment": attachment.pk,
            "page": page_b.pk,
            "form": form_b.pk,
            "home": b.home.pk,
            "image": image.pk,
            "document": document.pk,
            "collection": b.collection.pk,
            "site": b.site.pk,
            "team": b.team.pk,
            "group": b.editors.pk,
            "meeting": meeting.pk,
        },
    }


def b_money(dossier, site) -> dict[str, int]:
    """B's payment request, refund, grant, bank statement (of B's account) and payout
    batch (paid by B)."""
    now = timezone.now()
    request = PaymentRequest.objects.create(
        dossier=dossier,
        amount=Decimal("120.00"),
        due_date=datetime.date(2026, 12, 31),
        structured_reference="090000000555",
        status=PaymentStatus.PAID,
        closed_at=now,
    )
    statement = BankStatement.objects.create(
        format="coda",
        filename=B_MARKS["statement"],
        sha256="b" * 64,
        account=IBAN_B,
        statement_date=datetime.date(2026, 12, 1),
    )
    StatementLine.objects.create(
        statement=statement,
        identity="bzonder-1",
        booking_date=datetime.date(2026, 12, 1),
        amount=Decimal("99.00"),
        counterparty_name=B_MARKS["counterparty"],
        state=LineState.UNMATCHED,
    )
    refund = Refund.objects.create(
        dossier=dossier,
        payment_request=request,
        amount=Decimal("20.00"),
        reason=RefundReason.OVERPAID,
        iban=IBAN_B,
    )
    batch = PayoutBatch.objects.create(
        site=site,
        message_id=B_MARKS["batch"],
        execution_date=datetime.date(2026, 12, 21),
        xml=b"<Document/>",
        sha256="0" * 64,
        total=Decimal("0.00"),
        count=0,
    )
    grant = Grant.objects.create(
        dossier=dossier,
        amount=Decimal("500.00"),
        iban=IBAN_B,
        account_holder=B_MARKS["account holder"],
        state=GrantState.APPROVED,
        granted_at=now,
    )
    return {
        "payment_request": request.pk,
        "statement": statement.pk,
        "refund": refund.pk,
        "batch": batch.pk,
        "grant": grant.pk,
    }


def b_snippets(site) -> dict[str, int]:
    """B's own e-mail text, decision letter, report category and advice party (editors
    of A get the snippet rights, for A's own)."""
    text = NotificationTemplate.objects.create(
        kind="application_received",
        site=site,
        language="nl",
        subject=B_MARKS["e-mail text"],
        body="Tekst",
    )
    letter = DecisionLetterTemplate.objects.create(
        site=site, language="nl", legal_basis=B_MARKS["letter"], appeal="Beroep"
    )
    category = ReportCategory.objects.create(site=site, name=B_MARKS["report category"])
    party = AdviceParty.objects.create(
        site=site, name=B_MARKS["advice party"], email="brandweer@bzonder.be"
    )
    return {
        "e-mail text": text.pk,
        "letter": letter.pk,
        "report category": category.pk,
        "advice party": party.pk,
    }


def b_appointment(site, dossier) -> Appointment:
    """An appointment at B's desk, an hour ago (on the agenda of today, in the figures of
    the last 30 days)."""
    desk = Desk.objects.create(site=site, name=B_MARKS["desk"])
    kind = AppointmentType.objects.create(
        desk=desk, name=B_MARKS["appointment type"], slug="bzonder"
    )
    start = timezone.now() - datetime.timedelta(hours=1)
    return Appointment.objects.create(
        appointment_type=kind,
        desk=desk,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
        name=B_MARKS["appointment"],
        email="bert@bzonder.be",
        dossier=dossier,
    )


def parameter_values(objects: dict[str, int]) -> dict[str, list[str]]:
    ids = sorted({str(pk) for pk in objects.values()}, key=int)
    return {
        "*": ids,
        "instance_pk": [str(objects["dossier"])],
        "attachment_pk": [str(objects["attachment"])],
        "image_id": [str(objects["image"])],
        "document_id": [str(objects["document"])],
        "doc_id": [str(objects["document"])],
        "collection_id": [str(objects["collection"])],
        "page_id": [str(objects["page"]), str(objects["form"]), str(objects["home"])],
        "parent_page_id": [str(objects["page"]), str(objects["home"])],
        "page_to_move_id": [str(objects["page"])],
        "destination_id": [str(objects["home"])],
        "app_name": ["cms", "dossiers", "forms_builder"],
        "app_label": ["cms", "dossiers", "forms_builder", "wagtailcore"],
        "content_type_app_name": ["cms", "forms_builder"],
        "model_name": [
            "notificationtemplate",
            "decisionlettertemplate",
            "reportcategory",
            "sitebranding",
            "municipalitysettings",
            "paymentsettings",
            "contentpage",
            "dossier",
        ],
        "content_type_model_name": ["contentpage", "applicationformpage"],
        "filter_spec": ["original"],
        "action_name": ["approve"],
        "action": ["approve"],
        "revision_id": ["1"],
        "revision_id_a": ["1"],
        "revision_id_b": ["1"],
        "site_pk": [str(objects["site"])],
    }


def leaks(response) -> list[str]:
    """B's marks in the answer (body and headers) and in the messages it left for the
    next page."""
    queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
    told = " ".join(str(message) for message in queued)
    told_marks = [mark for mark in B_MARKS.values() if mark in told]
    if response.status_code != 200:
        return told_marks
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    text = body.decode("utf-8", "replace") + " " + " ".join(response.headers.values())
    return [mark for mark in B_MARKS.values() if mark in text or mark in told_marks]


@pytest.mark.parametrize("who", ["officer", "editor", "finance"])
def test_nothing_of_another_municipality_in_any_admin_screen(two_municipalities, who):
    client = Client(raise_request_exception=False)
    client.force_login(two_municipalities[who])
    values = parameter_values(two_municipalities["objects"])
    found = []
    walked = opened = 0
    for route, pattern in admin_patterns():
        name = pattern.name or ""
        if name in SKIPPED or name.startswith(SKIPPED_PREFIXES):
            continue
        for url in concrete_urls(route, values):
            # Lists and choosers also searched for B (a search answers from the index).
            for query in ({}, {"q": "Bzonder"}):
                response = client.get(url, query)
                # The messages a screen leaves (checked by leaks()) are not carried to
                # the next: hundreds of them, read back on every request, took most of
                # the walk's time.
                client.cookies.pop("messages", None)
                walked += 1
                opened += response.status_code == 200
                marks = leaks(response)
                if marks:
                    found.append(f"{url}?{query} ({name}): {', '.join(marks)}")
    assert walked > 400  # every screen, not a handful
    assert opened > 50  # and the walker really gets in
    assert not found, "\n".join(found)


@pytest.mark.parametrize("who", ["officer", "editor"])
def test_the_screens_of_bs_objects_do_not_open(two_municipalities, who):
    objects = two_municipalities["objects"]
    client = Client(raise_request_exception=False)
    client.force_login(two_municipalities[who])
    urls = [
        f"/admin/dossiers/dossier/inspect/{objects['dossier']}/",
        f"/admin/dossiers/dossier/attachment/{objects['dossier']}/{objects['attachment']}/",
        f"/admin/pages/{objects['page']}/edit/",
        f"/admin/pages/{objects['form']}/edit/",
        f"/admin/pages/{objects['home']}/",
        f"/admin/images/{objects['image']}/",
        f"/admin/documents/edit/{objects['document']}/",
        f"/admin/settings/cms/sitebranding/{objects['site']}/",
        f"/admin/snippets/dossiers/notificationtemplate/edit/{objects['e-mail text']}/",
        f"/admin/snippets/dossiers/decisionlettertemplate/edit/{objects['letter']}/",
        f"/admin/snippets/dossiers/reportcategory/edit/{objects['report category']}/",
    ]
    for url in urls:
        assert client.get(url).status_code != 200, url


def test_the_walk_sees_a_leak(two_municipalities):
    """The marks are found where B's data is shown: a superuser sees them."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@voorbeeld.be", "x")
    client = Client()
    client.force_login(admin)
    assert B_MARKS["reference"] in leaks(client.get("/admin/dossiers/dossier/"))
    home_b = two_municipalities["objects"]["home"]
    assert B_MARKS["page"] in leaks(client.get(f"/admin/choose-page/{home_b}/"))
    categories = client.get("/admin/snippets/dossiers/reportcategory/")
    assert B_MARKS["report category"] in leaks(categories)


def test_a_regional_team_sees_both_and_each_dossier_says_whose(two_municipalities, client):
    a, b = two_municipalities["a"], two_municipalities["b"]
    from cms.demo import ensure_team

    regional = ensure_team("Regio", sites=[a.site, b.site])
    desk = UserFactory(username="regio")
    desk.groups.add(regional.group)
    DossierFactory(site=b.site, team=regional, reference="BZO-TER-2026-00088")
    client.force_login(desk)
    response = client.get("/admin/dossiers/dossier/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "BZO-TER-2026-00088" in text
    assert "Gemeente Bzonder" in text  # the municipality column
    # B's own team's dossier stays B's own.
    assert B_MARKS["reference"] not in text


def test_print_batches_stay_with_their_municipality(two_municipalities):
    """Letters on paper (issue #22): A's officer with the permission to print sees and
    batches only A's letters; B's waiting letter and B's batch stay closed."""
    from django.contrib.auth.models import Permission

    from dossiers.correspondence import batches
    from dossiers.models import Attachment as File
    from dossiers.models import Dossier, PostedLetter, PrintBatch

    b = two_municipalities["b"]
    dossier_b = Dossier.objects.get(pk=two_municipalities["objects"]["dossier"])
    letter_of = File.objects.get(pk=two_municipalities["objects"]["attachment"])
    waiting = PostedLetter.objects.create(
        dossier=dossier_b, attachment=letter_of, channel="paper", recipient=B_MARKS["company"]
    )
    batch_b = PrintBatch.objects.create(site=b.site)
    PostedLetter.objects.create(
        dossier=dossier_b,
        attachment=letter_of,
        channel="ebox",  # another row of the same letter, in B's batch
        recipient=B_MARKS["applicant"],
        batch=batch_b,
    )
    officer = two_municipalities["officer"]
    officer.user_permissions.add(Permission.objects.get(codename="print_letters"))
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    screen = client.get("/admin/print-batches/")
    assert screen.status_code == 200 and not leaks(screen)
    for suffix in ("pdf/", "csv/"):
        assert client.get(f"/admin/print-batches/{batch_b.pk}/{suffix}").status_code == 404
    assert client.post(f"/admin/print-batches/{batch_b.pk}/sent/").status_code == 404
    client.post("/admin/print-batches/", {"letter": waiting.pk, "address": "Elders 1"})
    client.post("/admin/print-batches/")
    waiting.refresh_from_db()
    assert (waiting.batch, waiting.recipient) == (None, B_MARKS["company"])
    assert batches.make_batches(officer) == []
