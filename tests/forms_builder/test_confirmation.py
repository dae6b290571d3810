"""The page after sending: what happens next, told truthfully."""

import datetime
from decimal import Decimal

import pytest
from wagtail.models import Site

from cms.models import SiteBranding
from dossiers.models import Dossier
from tests.conftest import make_form_page

from .test_wizard import COMPANY, TERRACE, Applicant

pytestmark = pytest.mark.django_db

NO_EMAIL_STEPS = [
    {
        "type": "step",
        "value": {
            "title": "Uw gegevens",
            "intro": "",
            "fields": [
                {
                    "type": "short_text",
                    "value": {"label": "Naam", "name": "naam", "maps_to": "applicant_name"},
                }
            ],
        },
    }
]


def confirmation(applicant) -> str:
    return applicant.client.get(applicant.page.url + "bevestiging/").content.decode()


def test_with_an_email_address_it_says_where_the_email_went(client, form_page):
    applicant = Applicant(client, form_page)
    applicant.open()
    applicant.answer(COMPANY)
    applicant.answer(TERRACE)
    applicant.submit()
    content = confirmation(applicant)
    assert "We hebben een e-mail gestuurd naar an@cafedemarkt.be" in content
    dossier = Dossier.objects.get()
    assert dossier.decision_due is not None
    assert f"Wij beslissen uiterlijk op {dossier.decision_due.day} " in content


def test_without_an_email_address_it_promises_no_email(client, home_page, team):
    page = make_form_page(home_page, slug="zonder-mail", steps=NO_EMAIL_STEPS, team=team)
    branding = SiteBranding.for_site(Site.objects.get(is_default_site=True))
    branding.phone = "09 123 45 67"
    branding.save()
    applicant = Applicant(client, page)
    applicant.open()
    applicant.answer({"naam": "An Peeters"})
    applicant.submit()
    content = confirmation(applicant)
    assert "e-mail gestuurd" not in content
    assert "U gaf geen e-mailadres" in content
    # How to reach the desk.
    assert "09 123 45 67" in content

    # The fee, computed on the server when the application was sent.
    Dossier.objects.update(amount_due=Decimal("75.50"))
    assert "De aanvraag kost € 75,50" in confirmation(applicant)
    Dossier.objects.update(amount_due=Decimal("0"))
    assert "De aanvraag is gratis" in confirmation(applicant)
    # A term that starts when the application is complete: no date yet.
    Dossier.objects.update(decision_due=None, term_days=30, term_from_completeness=True)
    assert "binnen 30 dagen nadat uw aanvraag volledig is" in confirmation(applicant)
    Dossier.objects.update(decision_due=datetime.date(2027, 3, 5))
    assert "uiterlijk op 5 maart 2027" in confirmation(applicant)
