"""The demo's money: the municipality's account, someone of the finance department,
a road-works occupation paid by transfer and reconciled from a CODA statement
(files/rekeninguittreksel.cod, with a payment left to match by hand), and two
start-up premiums granted, approved by a second person and in a payout batch.

Everything goes through the same use cases as in the admin (dossiers.payments), so
the dossiers have their events and e-mails. Idempotent: what exists is left alone.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Site

from dossiers.models import BankStatement, Grant, PaymentRequest, PaymentSettings
from dossiers.payments import grants, payouts
from dossiers.payments import services as payments
from dossiers.payments.access import FINANCE_GROUP
from dossiers.payments.statements import services as statements
from forms_builder.models import ApplicationFormPage

from .samples import submit_sample

#: The demo's finance employee (also in DEMO_USERS, printed by `make run`).
FINANCE_USER, FINANCE_PASSWORD = "financien", "loket-financien"
STATEMENT = Path(__file__).parent / "files" / "rekeninguittreksel.cod"
#: The structured communication the demo statement pays (+++090/0000/00757+++).
ROAD_WORKS_REFERENCE = "090000000757"
ROAD_WORKS_FEE = Decimal("85.00")

ROAD_WORKS = {
    "bedrijfsnaam": "Aannemer De Vos",
    "naam": "Els De Vos",
    "email": "els@aannemerdevos.be",
    "telefoon": "+32470112233",
    "reden": "Een stelling of werfzone",
    "adres_inname": {
        "street": "Kerkstraat",
        "number": "14",
        "box": "",
        "postcode": "9999",
        "municipality": "Voorbeeld",
        "address_id": "30000037",
        "street_id": "190002",
    },
    "periode_inname": {"start": "2026-12-14", "end": "2026-12-18"},
    "van": "07:00",
    "tot": "17:00",
    "lengte": 8,
    "rijbaan": True,
    "borden": True,
}

#: The second start-up premium (the first is the demo's bookshop).
SECOND_STARTER = {
    "bedrijfsnaam": "Mode Marie",
    "ondernemingsnummer": "0403170701",
    "naam": "Marie Claes",
    "email": "marie@modemarie.be",
    "soort_zaak": "Kledingwinkel",
    "adres_zaak": {
        "street": "Markt",
        "number": "12",
        "box": "",
        "postcode": "9999",
        "municipality": "Voorbeeld",
    },
    "opening": "2026-10-01",
    "eerste_zaak": True,
    "huur_of_koop": "Ik koop het pand",
    "plan": "Een kledingwinkel voor dames met lokale ontwerpers.",
    "iban": "BE43068999999501",
}


def ensure_account() -> PaymentSettings:
    account = PaymentSettings.for_site(Site.objects.get(is_default_site=True))
    if not account.iban:
        account.creditor_name = account.creditor_name or "Gemeente Voorbeeld"
        account.iban = "BE71096123456769"
        account.bic = account.bic or "GKCCBEBB"
        account.full_clean()
        account.save()
    return account


def ensure_finance_user(username: str, password: str):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@voorbeeld.be", "first_name": "Fien"},
    )
    if created:
        user.set_password(password)
        user.save()
    user.groups.add(Group.objects.get(name=FINANCE_GROUP))
    return user


def ensure_road_works_paid(form: ApplicationFormPage, officer, finance) -> None:
    """The occupation for road works, asked to pay by transfer and paid according to
    the demo statement."""
    if BankStatement.objects.filter(filename=STATEMENT.name).exists():
        return
    dossier = form.dossiers.filter(company_name=ROAD_WORKS["bedrijfsnaam"]).first()
    if dossier is None:
        dossier = submit_sample(form, ROAD_WORKS, [("start_review", {})])
    if not PaymentRequest.objects.filter(structured_reference=ROAD_WORKS_REFERENCE).exists():
        request = payments.request_payment(
            dossier,
            officer,
            amount=ROAD_WORKS_FEE,
            reason="Retributie inname openbaar domein: 5 dagen, werfzone op de rijbaan.",
        )
        PaymentRequest.objects.filter(pk=request.pk).update(
            structured_reference=ROAD_WORKS_REFERENCE
        )
    statements.import_statement(
        content=STATEMENT.read_bytes(), filename=STATEMENT.name, user=finance
    )


def ensure_premiums_paid_out(form: ApplicationFormPage, officer, finance) -> None:
    """Two start-up premiums granted by the officer, approved by finance and in one
    payout batch."""
    if Grant.objects.exists():
        return
    if not form.dossiers.filter(company_name=SECOND_STARTER["bedrijfsnaam"]).exists():
        submit_sample(
            form,
            SECOND_STARTER,
            [("start_review", {}), ("approve", {"decision": "U krijgt een startpremie."})],
        )
    approved = form.dossiers.filter(decision_outcome="approved").order_by("reference")[:2]
    for dossier in approved:
        grants.approve(grants.grant(dossier, officer), finance)
    payouts.create_batch(finance)


def ensure_finance_demo(forms: dict[str, ApplicationFormPage]) -> None:
    """Run after the demo's users and sample dossiers exist."""
    ensure_account()
    finance = ensure_finance_user(FINANCE_USER, FINANCE_PASSWORD)
    # Finance staff work for the municipalities of their team (docs/gemeenten.md): the
    # demo's finance employee is in the team of the start-up premiums, of Voorbeeld.
    if forms["starter"].team is not None:
        finance.groups.add(forms["starter"].team.group)
    users = get_user_model().objects
    # The road works are the Mobility team's: the administrator asks for the payment.
    ensure_road_works_paid(forms["occupation"], users.get(username="admin"), finance)
    ensure_premiums_paid_out(forms["starter"], users.get(username="behandelaar"), finance)
