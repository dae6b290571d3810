"""The "Financiën" role and its screens (issue #17): finance staff read statements,
match by hand, record and advance refunds, export the accounting file (CSV, XLSX with
typed cells), approve grants and make payout batches; of dossiers they see only the
reference, amount and status, and the dossier itself (details, answers, files) is
refused to them. Officers grant on the dossier view."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib import messages
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dossiers.models import (
    BankStatement,
    Grant,
    GrantState,
    LineState,
    PayoutBatch,
    Refund,
    RefundState,
    StatementLine,
)
from dossiers.payments import grants
from dossiers.payments.access import FINANCE_GROUP, is_finance
from tests.dossiers.finance.conftest import fixture_bytes, premium_dossier

pytestmark = pytest.mark.django_db

FINANCE_PAGES = [
    "finance_statements",
    "finance_payments",
    "finance_refunds",
    "finance_payouts",
]


def flashed(response):
    """The messages of the response, the newest last (earlier ones stay until a page
    shows them)."""
    return [(m.level, str(m)) for m in get_messages(response.wsgi_request)]


def upload(client, name="statement.cod"):
    return client.post(
        reverse("finance_statements"),
        {"action": "upload", "file": SimpleUploadedFile(name, fixture_bytes(name))},
    )


def test_the_group_is_made_by_the_migration(finance):
    group = Group.objects.get(name=FINANCE_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"manage_finance", "access_admin"} <= codenames
    assert is_finance(finance)


@pytest.mark.parametrize("name", FINANCE_PAGES)
def test_finance_pages_are_for_finance_staff_only(client, finance, officer, name):
    client.force_login(officer)
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    client.force_login(finance)
    assert client.get(reverse(name)).status_code == 200


def test_finance_staff_see_no_dossier_but_its_reference_amount_and_status(
    client, finance, requests_of_fixtures
):
    request = requests_of_fixtures["A"]
    dossier = request.dossier
    client.force_login(finance)
    page = client.get(reverse("finance_payments")).content.decode()
    assert dossier.reference in page and "150,00" in page
    assert dossier.applicant_name not in page and dossier.applicant_email not in page
    for url in (
        reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk]),
        reverse("dossiers_dossier_modeladmin_payment", args=[dossier.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response.url == reverse("wagtailadmin_home")
    listing = client.get(reverse("dossiers_dossier_modeladmin_index"))
    assert listing.status_code == 302 or not list(listing.context["object_list"])


def test_uploading_a_statement_and_matching_by_hand(client, finance, requests_of_fixtures):
    client.force_login(finance)
    response = upload(client)
    assert response.status_code == 302
    assert flashed(response)[0][0] == messages.SUCCESS
    # The back office speaks Dutch.
    assert "Niet gekoppeld: 1" in flashed(response)[0][1]
    again = upload(client)
    level, text = flashed(again)[-1]
    assert level == messages.ERROR and "al ingelezen" in text
    assert BankStatement.objects.count() == 1
    statement = BankStatement.objects.get()
    page = client.get(reverse("finance_statement", args=[statement.pk])).content.decode()
    assert "CAFE DE MARKT BV" in page
    line = StatementLine.objects.get(state=LineState.UNMATCHED)
    response = client.post(
        reverse("finance_statements"),
        {"action": "match", "line": line.pk, "target": "+++090/0000/00454+++"},
    )
    assert flashed(response)[-1][0] == messages.SUCCESS
    line.refresh_from_db()
    assert line.state == LineState.PARTLY_PAID and line.matched_by == finance
    response = client.post(
        reverse("finance_statements"), {"action": "match", "line": line.pk, "target": "nothing"}
    )
    assert flashed(response)[-1][0] == messages.ERROR


def test_a_file_that_is_no_statement_gets_a_message(client, finance, account):
    client.force_login(finance)
    response = client.post(
        reverse("finance_statements"),
        {"action": "upload", "file": SimpleUploadedFile("x.cod", b"hello")},
    )
    assert flashed(response)[0][0] == messages.ERROR
    assert not BankStatement.objects.exists()


def test_refunds_are_recorded_and_advanced(client, finance, requests_of_fixtures):
    client.force_login(finance)
    upload(client)
    overpaid = Refund.objects.get()
    assert overpaid.state == RefundState.TO_DO
    for expected in (RefundState.SENT, RefundState.DONE):
        client.post(reverse("finance_refunds"), {"action": "advance", "refund": overpaid.pk})
        overpaid.refresh_from_db()
        assert overpaid.state == expected
    response = client.post(
        reverse("finance_refunds"),
        {
            "action": "record",
            "target": requests_of_fixtures["A"].dossier.reference,
            "amount": "200,00",
            "note": "Vergunning ingetrokken",
        },
    )
    assert flashed(response)[-1][0] == messages.ERROR  # more than was paid
    client.post(
        reverse("finance_refunds"),
        {
            "action": "record",
            "target": "+++090/0000/00151+++",
            "amount": "150,00",
            "note": "Vergunning ingetrokken",
        },
    )
    cancelled = Refund.objects.get(reason="cancelled")
    assert cancelled.amount == Decimal("150.00") and cancelled.created_by == finance
    assert cancelled.dossier.events.filter(type="refund").exists()


def test_the_accounting_export_has_typed_cells(client, finance, requests_of_fixtures):
    client.force_login(finance)
    upload(client)
    period = {"start": "2026-12-01", "end": "2026-12-31"}
    response = client.get(reverse("finance_export"), {**period, "format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # The three payments booked to requests (A, part of B, C) and the refund of C's
    # 20 euro too much; the unmatched line and the bank costs are not Loket's.
    assert len(rows) == 4
    first = rows[0]
    assert isinstance(first[0], datetime.datetime)
    assert first[0].date() == datetime.date(2026, 12, 4)
    assert all(isinstance(row[4], int | float) for row in rows)
    assert sorted(row[4] for row in rows) == [-20, 50, 150, 200]
    text = client.get(reverse("finance_export"), {**period, "format": "csv"}).content
    text = text.decode("utf-8-sig")
    assert "2026-12-04;" in text and ";150.00;" in text and ";-20.00;" in text
    bad = client.get(reverse("finance_export"), {"start": "2026-12-31", "end": "2026-12-01"})
    assert bad.status_code == 302


def test_officer_grants_on_the_dossier_view_and_finance_approves(
    client, officer, finance, economy, account
):
    dossier = premium_dossier(economy, "STP-2026-00001")
    client.force_login(officer)
    page = client.get(reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk]))
    assert "6.600,00" in page.content.decode() or "6,600.00" in page.content.decode()
    url = reverse("dossiers_dossier_modeladmin_grant", args=[dossier.pk])
    client.post(url, {"grant-action": "grant"})
    granted = Grant.objects.get()
    assert granted.amount == Decimal("6600.00") and granted.granted_by == officer
    page = client.get(reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk]))
    assert "Wacht op goedkeuring" in page.content.decode()
    assert "Keur de toekenning goed" not in page.content.decode()
    client.post(url, {"grant-action": "approve"})
    granted.refresh_from_db()
    assert granted.state == GrantState.GRANTED  # not by the one who granted it
    client.force_login(finance)
    page = client.get(reverse("finance_payouts")).content.decode()
    assert dossier.reference in page
    client.post(reverse("finance_payouts"), {"action": "approve", "grant": granted.pk})
    granted.refresh_from_db()
    assert granted.state == GrantState.APPROVED
    client.post(reverse("finance_payouts"), {"action": "batch", "execution_date": ""})
    batch = PayoutBatch.objects.get()
    download = client.get(reverse("finance_batch", args=[batch.pk]))
    assert download.content == bytes(batch.xml)
    assert b"<EndToEndId>STP-2026-00001</EndToEndId>" in download.content


def test_a_changed_iban_is_approved_again_in_the_dossier_view(
    client, officer, lead, finance, economy, account
):
    dossier = premium_dossier(economy, "STP-2026-00002")
    granted = grants.approve(grants.grant(dossier, officer), finance)
    client.force_login(lead)
    url = reverse("dossiers_dossier_modeladmin_grant", args=[dossier.pk])
    client.post(
        url,
        {"grant-action": "change", "iban": "BE43068999999501", "reason": "Nieuwe rekening"},
    )
    granted.refresh_from_db()
    assert granted.state == GrantState.GRANTED and granted.iban == "BE43068999999501"


def test_the_finance_menu_is_shown_to_finance_staff_only(client, finance, officer):
    client.force_login(finance)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("finance_statements") in home
    client.force_login(officer)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("finance_statements") not in home


def test_finance_staff_get_no_answers_files_or_exports_of_a_dossier(
    client, finance, requests_of_fixtures
):
    from dossiers.models import Attachment

    dossier = requests_of_fixtures["A"].dossier
    attachment = Attachment.objects.create(
        dossier=dossier,
        step_id="step-1",
        field_name="plan",
        file="dossiers/plan.pdf",
        original_name="plan.pdf",
        size=10,
        content_type="application/pdf",
    )
    client.force_login(finance)
    for url in (
        reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk]),
        reverse("dossiers_dossier_modeladmin_attachment", args=[dossier.pk, attachment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    export = client.get(reverse("dossiers_dossier_modeladmin_index"), {"export": "csv"})
    if export.status_code == 200:
        assert dossier.reference not in b"".join(export.streaming_content).decode()
    assert not dossier.events.filter(type="viewed").exists()
