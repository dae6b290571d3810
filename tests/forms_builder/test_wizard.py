"""An applicant walks through the demo terrace form with the Django test client."""

import pytest
from django.core import mail

from dossiers.constants import EventType, Status
from dossiers.models import Dossier
from tests.conftest import make_form_page

pytestmark = pytest.mark.django_db

COMPANY = {"bedrijfsnaam": "Café De Markt", "naam": "An Peeters", "email": "An@CafeDeMarkt.be"}
TERRACE = {
    "adres": "Markt 1, 9999 Voorbeeld",
    "oppervlakte": "24",
    "startdatum": "2026-04-01",
    "soort": "Terras met windschermen",
    "opmerkingen": "",
}


class Applicant:
    """Fills in one form page the way a browser does: post what is on screen, follow
    redirects."""

    def __init__(self, client, page):
        self.client = client
        self.page = page
        self.prefix = f"loket-form-{page.pk}"
        self.response = None

    @property
    def path(self) -> str:
        return self.response.wsgi_request.path

    @property
    def step(self) -> str:
        """The wizard step on screen."""
        return self.response.context["wizard"]["steps"].current

    def open(self, url=None):
        self.response = self.client.get(url or self.page.url, follow=True)
        return self.response

    def answer(self, answers: dict, **extra):
        """Post ``answers`` (by field name) to the step on screen."""
        form = self.response.context["form"]
        data = {f"{self.prefix}-current_step": self.step, **extra}
        data.update({form.add_prefix(name): value for name, value in answers.items()})
        self.response = self.client.post(self.path, data, follow=True)
        return self.response

    def submit(self, **data):
        """Post the check-your-answers page."""
        self.response = self.client.post(self.path, data, follow=True)
        return self.response

    def fill_in_everything(self):
        self.open()
        self.answer(COMPANY)
        return self.answer(TERRACE)


def shows_error_summary(response) -> bool:
    return "data-error-summary" in response.content.decode()


def template_names(response) -> list[str]:
    return [template.name for template in response.templates]


@pytest.fixture
def applicant(client, form_page):
    return Applicant(client, form_page)


def step_ids(page) -> list[str]:
    return [step.id for step in page.steps]


def test_first_step_shows_its_questions(applicant):
    response = applicant.open()

    assert response.status_code == 200
    assert response.context["step"]["id"] == step_ids(applicant.page)[0]
    content = response.content.decode()
    form = response.context["form"]
    for name in ("bedrijfsnaam", "naam", "email"):
        assert f'name="{form.add_prefix(name)}"' in content
    assert f'name="{applicant.prefix}-current_step"' in content
    assert not shows_error_summary(response)


def test_applicant_submits_the_terrace_form(applicant, django_capture_on_commit_callbacks):
    applicant.open()
    response = applicant.answer(COMPANY)
    assert response.status_code == 200
    assert response.context["step"]["id"] == step_ids(applicant.page)[1]

    response = applicant.answer(TERRACE)
    assert response.status_code == 200
    assert "forms_builder/check_answers.html" in template_names(response)
    assert "Terras met windschermen" in response.content.decode()
    assert not Dossier.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = applicant.submit()

    dossier = Dossier.objects.get()
    confirmation_url = applicant.page.url + "bevestiging/"
    assert response.redirect_chain == [(confirmation_url, 302)]
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<strong class="reference">{dossier.reference}</strong>' in content
    assert dossier.get_status_url() in content

    step1, step2 = step_ids(applicant.page)
    assert dossier.answers == {
        step1: {
            "bedrijfsnaam": "Café De Markt",
            "naam": "An Peeters",
            "email": "an@cafedemarkt.be",
        },
        step2: {
            "adres": "Markt 1, 9999 Voorbeeld",
            "oppervlakte": 24,
            "startdatum": "2026-04-01",
            "soort": "Terras met windschermen",
            "opmerkingen": "",
        },
    }
    assert dossier.status == Status.SUBMITTED
    assert dossier.applicant_email == "an@cafedemarkt.be"
    assert dossier.company_name == "Café De Markt"
    assert dossier.events.filter(type=EventType.SUBMITTED, public=True).exists()

    # The other e-mails go to the team's mailbox (tests/dossiers/test_outbox.py) and, as
    # the applicant was not signed in, ask to prove the address (tests/dossiers/test_portal.py).
    [email] = [
        each
        for each in mail.outbox
        if each.to == ["an@cafedemarkt.be"] and "/bevestigen/" not in each.body
    ]
    assert dossier.reference in email.subject
    assert dossier.get_absolute_status_url() in email.body


def test_submitting_twice_makes_one_dossier(applicant):
    applicant.fill_in_everything()
    check_page = applicant.path
    applicant.submit()

    # The browser's back button and a second click on "submit".
    response = applicant.client.post(check_page, follow=True)

    assert Dossier.objects.count() == 1
    assert response.redirect_chain[-1][0] == applicant.page.url + "bevestiging/"


def test_after_submitting_the_form_starts_empty(applicant):
    applicant.fill_in_everything()
    applicant.submit()

    response = applicant.open()

    assert response.context["step"]["id"] == step_ids(applicant.page)[0]
    assert "Café De Markt" not in response.content.decode()


def test_confirmation_without_a_submission_goes_back_to_the_form(client, form_page):
    response = client.get(form_page.url + "bevestiging/")

    assert response.status_code == 302
    assert response.url == form_page.url


@pytest.mark.parametrize(
    ("changes", "wrong_field"),
    [
        ({"naam": ""}, "naam"),
        ({"email": "an-at-cafedemarkt.be"}, "email"),
    ],
)
def test_invalid_first_step_is_shown_again_with_the_answers(applicant, changes, wrong_field):
    applicant.open()
    first_step = applicant.path

    response = applicant.answer({**COMPANY, **changes})

    assert response.status_code == 200
    assert response.redirect_chain == []
    assert applicant.path == first_step
    assert shows_error_summary(response)
    form = response.context["form"]
    assert list(form.errors) == [wrong_field]
    content = response.content.decode()
    assert f'href="#{form[wrong_field].id_for_label}"' in content  # summary links to it
    assert 'value="Café De Markt"' in content
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("changes", "wrong_field"),
    [
        ({"oppervlakte": "501"}, "oppervlakte"),
        ({"oppervlakte": "0"}, "oppervlakte"),
        ({"oppervlakte": "vijf"}, "oppervlakte"),
        ({"startdatum": "31/02/2026"}, "startdatum"),
        ({"soort": "Dakterras"}, "soort"),
        ({"adres": ""}, "adres"),
    ],
)
def test_invalid_second_step_keeps_every_answer(applicant, changes, wrong_field):
    applicant.open()
    applicant.answer(COMPANY)
    second_step = applicant.path

    response = applicant.answer({**TERRACE, **changes})

    assert applicant.path == second_step
    assert shows_error_summary(response)
    assert list(response.context["form"].errors) == [wrong_field]
    if wrong_field != "oppervlakte":
        assert 'value="24"' in response.content.decode()
    assert not Dossier.objects.exists()

    # Correcting the one answer is enough: the first step was kept.
    applicant.answer(TERRACE)
    applicant.submit()
    assert Dossier.objects.get().company_name == "Café De Markt"


def test_previous_step_shows_the_given_answers(applicant):
    applicant.open()
    first_step = applicant.path
    applicant.answer(COMPANY)
    assert applicant.response.context["previous_url"] == first_step

    response = applicant.open(first_step)

    assert response.context["step"]["id"] == step_ids(applicant.page)[0]
    assert not shows_error_summary(response)
    content = response.content.decode()
    # As the check page shows them: the e-mail address as it is stored.
    for value in ("Café De Markt", "An Peeters", "an@cafedemarkt.be"):
        assert f'value="{value}"' in content

    # Going on without changes keeps them for the dossier.
    applicant.answer(COMPANY)
    applicant.answer(TERRACE)
    applicant.submit()
    assert Dossier.objects.get().applicant_name == "An Peeters"


def test_optional_field_may_stay_empty(applicant):
    applicant.open()
    applicant.answer(COMPANY)

    applicant.answer({name: value for name, value in TERRACE.items() if name != "opmerkingen"})
    applicant.submit()

    assert Dossier.objects.get().answers[step_ids(applicant.page)[1]]["opmerkingen"] == ""


def test_declaration_must_be_accepted(client, home_page):
    page = make_form_page(home_page, declaration_text="<p>Ik verklaar alles naar waarheid.</p>")
    applicant = Applicant(client, page)
    applicant.fill_in_everything()

    response = applicant.submit()

    assert response.redirect_chain == []
    assert shows_error_summary(response)
    assert not Dossier.objects.exists()

    response = applicant.submit(accept="on")

    assert response.redirect_chain == [(page.url + "bevestiging/", 302)]
    assert Dossier.objects.count() == 1


def test_form_without_steps_is_not_available(client, home_page):
    page = make_form_page(home_page, title="Evenement melden", slug="evenement", steps=[])

    response = client.get(page.url, follow=True)

    assert response.status_code == 200
    assert template_names(response)[0] == "forms_builder/form_unavailable.html"
    assert "Evenement melden" in response.content.decode()
    assert "current_step" not in response.content.decode()  # no wizard form


def assert_private(response):
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_steps_the_check_page_and_the_confirmation_are_never_cached_nor_indexed(
    applicant, django_capture_on_commit_callbacks
):
    assert_private(applicant.open())  # the first step
    assert_private(applicant.answer(COMPANY))  # the second step
    response = applicant.answer(TERRACE)
    assert "forms_builder/check_answers.html" in template_names(response)
    assert_private(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant.submit()
    assert response.request["PATH_INFO"].endswith("bevestiging/")
    assert_private(response)
