"""The company's page in Mijn loket and proactive services (issue #22): register data
of the enterprise the sign-in vouched for, its establishments here, its applications,
and the services editors tagged for its activities or legal form."""

import datetime
import io
from dataclasses import asdict

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.demo.companies import DEMO_POSTCODES, demo_extract
from cms.models import ServicePage
from dossiers.companies.importer import import_extract
from dossiers.companies.suggestions import suggested_services
from dossiers.models import Permit
from dossiers.portal.identity import SESSION_KEY, ApplicantIdentity
from tests.conftest import make_form_page
from tests.factories import DossierFactory

from ..forms_builder.test_wizard import COMPANY, TERRACE, Applicant

pytestmark = pytest.mark.django_db

CAFE = "0417497106"  # Café De Markt: a BV (610), NACE 56301, a café on the Markt
SALON = "0403170701"  # Kapsalon Lotte: an NV (014), NACE 96021


@pytest.fixture
def register(settings):
    settings.LOKET_KBO_POSTCODES = sorted(DEMO_POSTCODES)
    import_extract(io.BytesIO(demo_extract()), postcodes=DEMO_POSTCODES)


def sign_in(client, *, enterprise_number="", email="an@cafedemarkt.be"):
    """Signed in as a sign-in method leaves it (what the government login vouched for)."""
    now = timezone.now().timestamp()
    identity = ApplicantIdentity(
        method="oidc", email=email, enterprise_number=enterprise_number, name="An"
    )
    session = client.session
    session[SESSION_KEY] = {"identity": asdict(identity), "signed_in_at": now, "last_seen": now}
    session.save()


def service(home_page, title, *, nace="", forms="", form_page=None):
    return home_page.add_child(
        instance=ServicePage(
            title=title,
            slug=title.lower().replace(" ", "-"),
            intro=f"Over {title.lower()}.",
            suggest_for_nace=nace,
            suggest_for_legal_forms=forms,
            form_page=form_page,
        )
    )


class TestCompanyPage:
    def test_shows_the_register_data_the_establishment_here_and_the_extract_date(
        self, client, register
    ):
        sign_in(client, enterprise_number=CAFE)
        page = client.get(reverse("portal:company")).content.decode()
        assert "De Markt" in page
        assert "0417.497.106" in page
        assert "Besloten vennootschap" in page
        assert "Kerkstraat 3, 9000 Gent" in page  # the seat
        assert "2.200.000.181" in page and "Markt 1, 9000 Voorbeeld" in page
        assert "56.301 Cafés en bars" in page
        assert "zoals op 1 december 2026" in page

    def test_lists_the_company_applications_and_permits_not_those_of_others(self, client, register):
        ours = DossierFactory(vouched_enterprise=CAFE, applicant_email="x@y.be")
        DossierFactory(vouched_enterprise=SALON, reference="TER-2026-99999")
        # The number typed in a form proves nothing: not listed.
        DossierFactory(enterprise_number=CAFE, reference="TER-2026-99998")
        Permit.objects.create(
            dossier=ours,
            kind="Terrasvergunning",
            valid_from=datetime.date(2026, 4, 1),
            valid_until=datetime.date(2026, 10, 31),
            place="Markt 1",
        )
        sign_in(client, enterprise_number=CAFE)
        page = client.get(reverse("portal:company")).content.decode()
        assert ours.reference in page
        assert "TER-2026-99999" not in page
        assert "TER-2026-99998" not in page
        assert "geldig van 1 april 2026 tot 31 oktober 2026" in page

    def test_without_a_vouched_enterprise_it_says_how_to_get_one(self, client, register):
        sign_in(client)
        response = client.get(reverse("portal:company"))
        assert response.status_code == 404
        assert "Meld u dan aan met de aanmelding van de overheid" in response.content.decode()

    def test_an_enterprise_not_in_the_register_is_not_found(self, client, register):
        sign_in(client, enterprise_number="0202239951")
        response = client.get(reverse("portal:company"))
        assert response.status_code == 404
        assert "vinden uw onderneming niet" in response.content.decode()

    def test_not_signed_in_goes_to_the_sign_in_page(self, client):
        response = client.get(reverse("portal:company"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:sign_in"))

    def test_the_overview_links_to_the_company_page_only_for_a_vouched_enterprise(
        self, client, register
    ):
        sign_in(client)
        assert "data-company-link" not in client.get(reverse("portal:overview")).content.decode()
        sign_in(client, enterprise_number=CAFE)
        assert "data-company-link" in client.get(reverse("portal:overview")).content.decode()


class TestSuggestions:
    def test_horeca_gets_the_services_tagged_56_and_a_hair_salon_does_not(
        self, home_page, register
    ):
        terrace = service(home_page, "Terrasvergunning", nace="56.*")
        event = service(home_page, "Evenement melden", nace="56, 93")
        service(home_page, "Kapsalon hygiëne", nace="96.02")
        service(home_page, "Zonder labels")
        assert suggested_services(CAFE) == [event, terrace]
        assert [page.title for page in suggested_services(SALON)] == ["Kapsalon hygiëne"]

    def test_a_legal_form_narrows_the_suggestion(self, home_page, register):
        start = service(home_page, "Startpremie vennootschap", forms="610")
        assert suggested_services(CAFE) == [start]  # a BV
        assert suggested_services(SALON) == []  # an NV

    def test_a_service_the_company_applied_for_is_left_out(self, home_page, team, register):
        form = make_form_page(home_page, title="Terras aanvragen", slug="terras-aanvragen")
        service(home_page, "Terrasvergunning", nace="56", form_page=form)
        assert len(suggested_services(CAFE)) == 1
        DossierFactory(enterprise_number=CAFE, form_page=form)
        assert suggested_services(CAFE) == []

    def test_a_stopped_or_unknown_enterprise_gets_none(self, home_page, register):
        service(home_page, "Terrasvergunning", nace="56")
        assert suggested_services("0202239951") == []

    def test_the_company_page_shows_the_suggestions(self, client, home_page, register):
        service(home_page, "Terrasvergunning", nace="56")
        sign_in(client, enterprise_number=CAFE)
        page = client.get(reverse("portal:company")).content.decode()
        assert "Dit kan ook voor u interessant zijn" in page
        assert "Terrasvergunning" in page

    def test_the_confirmation_suggests_for_the_vouched_enterprise_only(
        self, client, home_page, form_page, register
    ):
        service(home_page, "Evenement melden", nace="56")
        applicant = Applicant(client, form_page)
        applicant.open()
        applicant.answer(COMPANY)
        applicant.answer(TERRACE)
        applicant.submit()
        url = form_page.url + "bevestiging/"
        # Not signed in for an enterprise: nothing is suggested.
        assert "Dit kan ook voor u interessant zijn" not in client.get(url).content.decode()
        sign_in(client, enterprise_number=CAFE)
        page = client.get(url).content.decode()
        assert "Dit kan ook voor u interessant zijn" in page and "Evenement melden" in page
