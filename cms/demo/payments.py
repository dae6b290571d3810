"""The demo's payments: the municipality's account, and the terrace permit paid online
through the built-in test provider (docs/betalingen.md).

The terrace form uses the stage "payment before the permit"; its approved sample
dossier (IJssalon Venezia) has an open payment request for its fee: its status page
shows the transfer details, the QR code and "Nu online betalen"; paying in the test
checkout issues the permit. Called by :func:`cms.demo.samples.ensure_sample_dossiers`.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.models import Site

from dossiers import stages
from dossiers.constants import Status
from dossiers.models import Dossier, PaymentSettings
from dossiers.payments import services as payments
from forms_builder.models import ApplicationFormPage

from . import content

#: The municipality's account in the demo (a valid Belgian IBAN of no one).
ACCOUNT = {"creditor_name": content.MUNICIPALITY, "iban": "BE71096123456769", "bic": "GKCCBEBB"}
#: The company whose approved terrace permit waits for payment.
PAYING_COMPANY = "IJssalon Venezia"


def ensure_payment_stage(form: ApplicationFormPage) -> None:
    """The terrace form's permit waits for its fee (a published revision, once)."""
    if stages.PAYMENT not in (form.stages or []):
        form.stages = [*(form.stages or []), stages.PAYMENT]
        form.save_revision().publish()


def ensure_payments() -> None:
    """The account, and the payment request of the approved terrace dossier."""
    ensure_payment_account(Site.objects.get(is_default_site=True))
    ensure_terrace_payment()


def ensure_payment_account(site: Site) -> PaymentSettings:
    """The account applicants pay into, unless an administrator filled one in."""
    account = PaymentSettings.for_site(site)
    if not account.is_complete:
        for field, value in ACCOUNT.items():
            setattr(account, field, value)
        account.save()
    return account


def ensure_terrace_payment(officer_username: str = "behandelaar") -> Dossier | None:
    """Ask the approved terrace dossier's applicant to pay its fee (once)."""
    dossier = Dossier.objects.filter(
        company_name=PAYING_COMPANY, status=Status.APPROVED, reference__startswith="TER-"
    ).first()
    if dossier is None or dossier.payment_requests.exists() or dossier.amount_due is None:
        return dossier
    if stages.PAYMENT not in (dossier.stages or []):
        # Dossiers keep the stages of their form; this one was sent before the demo
        # form had the payment stage.
        dossier.stages = [*(dossier.stages or []), stages.PAYMENT]
        dossier.save(update_fields=["stages"])
    officer = get_user_model().objects.get(username=officer_username)
    payments.request_payment(dossier, officer)
    return dossier
