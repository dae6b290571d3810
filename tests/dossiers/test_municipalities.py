"""Several municipalities on one installation: each dossier belongs to one (its form's
Site), teams serve one or more, officers see only theirs, and the reference number,
the e-mail sender and the bank account are the dossier's municipality's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.demo import ensure_team
from cms.municipalities import add_municipality
from dossiers import permissions
from dossiers.exceptions import ActionRefused
from dossiers.models import MunicipalitySettings, Notification, PaymentSettings, Team
from dossiers.outbox import delivery
from dossiers.payments import services as payments
from dossiers.routing import services as routing
from dossiers.services import submit_application
from forms_builder.models import ApplicationFormPage
from tests.conftest import make_form_page
from tests.factories import DossierFactory, UserFactory, terrace_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def aanzee():
    return add_municipality(
        name="Gemeente Aanzee",
        hostname="aanzee.localhost",
        reference_code="AAN",
        sender_email="loket@aanzee.be",
        iban="BE71 0961 2345 6769",
    )


@pytest.fixture
def bzonder():
    return add_municipality(
        name="Gemeente Bzonder",
        hostname="bzonder.localhost",
        reference_code="BZO",
        sender_email="loket@bzonder.be",
        creditor_name="Gemeente Bzonder",
        iban="BE43 0689 9999 9501",
    )


def officer_of(team: Team, username: str):
    user = UserFactory(username=username)
    user.groups.add(team.group)
    return user


def submit(form_page: ApplicationFormPage):
    schema = form_page.get_schema()
    return submit_application(form_page=form_page, schema=schema, answers=terrace_answers(schema))


def test_a_dossier_belongs_to_its_forms_municipality_and_is_numbered_there(aanzee, bzonder):
    form_a = make_form_page(aanzee.home, team=aanzee.team)
    form_b = make_form_page(bzonder.home, team=bzonder.team, reference_prefix="TEB")
    one, two = submit(form_a), submit(form_b)
    assert (one.site, two.site) == (aanzee.site, bzonder.site)
    assert one.reference.startswith("AAN-TER-")
    assert two.reference.startswith("BZO-TEB-")
    assert submit(form_a).reference.endswith("-00002")
    assert submit(form_b).reference.endswith("-00002")


def test_a_municipality_without_a_code_keeps_the_plain_numbering(home_page, team):
    form = make_form_page(home_page, team=team)
    assert submit(form).reference.startswith("TER-")


def test_officers_see_only_the_dossiers_of_the_sites_their_team_serves(aanzee, bzonder):
    mine = DossierFactory(site=aanzee.site, team=aanzee.team)
    theirs = DossierFactory(site=bzonder.site, team=bzonder.team)
    # A dossier of B given to A's team by mistake: A's team does not serve B.
    astray = DossierFactory(site=bzonder.site, team=aanzee.team)
    officer = officer_of(aanzee.team, "an")
    assert list(permissions.visible_dossiers(officer)) == [mine]
    assert permissions.can_view(officer, mine)
    assert not permissions.can_view(officer, theirs)
    assert not permissions.can_view(officer, astray)


def test_a_regional_team_sees_its_dossiers_of_every_site_it_serves(aanzee, bzonder):
    regional = ensure_team("Regio", sites=[aanzee.site, bzonder.site])
    in_a = DossierFactory(site=aanzee.site, team=regional)
    in_b = DossierFactory(site=bzonder.site, team=regional)
    DossierFactory(site=bzonder.site, team=bzonder.team)
    desk = officer_of(regional, "regio")
    assert set(permissions.visible_dossiers(desk)) == {in_a, in_b}
    assert set(permissions.visible_sites(desk)) == {aanzee.site, bzonder.site}


def test_a_team_without_sites_sees_nothing(aanzee):
    team = ensure_team("Nergens", sites=[])
    team.sites.clear()
    DossierFactory(site=aanzee.site, team=team)
    assert not permissions.visible_dossiers(officer_of(team, "niemand")).exists()


def test_at_submission_a_team_that_does_not_serve_the_site_gets_nothing(aanzee, bzonder):
    form_b = make_form_page(bzonder.home, team=aanzee.team, reference_prefix="TEB")
    dossier = submit(form_b)
    assert dossier.site == bzonder.site
    assert dossier.team is None  # administrators give it to a team


def test_a_form_handed_to_the_regional_team(aanzee, bzonder):
    regional = ensure_team("Regio", sites=[aanzee.site, bzonder.site])
    form_b = make_form_page(bzonder.home, team=regional, reference_prefix="TEB")
    dossier = submit(form_b)
    assert (dossier.team, dossier.site) == (regional, bzonder.site)
    assert permissions.can_view(officer_of(regional, "regio"), dossier)
    assert not permissions.can_view(officer_of(bzonder.team, "bea"), dossier)


def test_a_dossier_is_not_given_to_a_team_of_another_municipality(aanzee, bzonder):
    dossier = DossierFactory(site=aanzee.site, team=aanzee.team)
    with pytest.raises(ActionRefused) as refused:
        routing.reassign(dossier, bzonder.team, officer_of(aanzee.team, "an"))
    assert str(refused.value.args[0]) == ("Dit team werkt niet voor de gemeente van dit dossier.")


def test_the_form_editor_offers_only_teams_of_the_municipality(aanzee, bzonder, admin_client):
    regional = ensure_team("Regio", sites=[aanzee.site, bzonder.site])
    form = make_form_page(aanzee.home, team=aanzee.team)
    response = admin_client.get(f"/admin/pages/{form.pk}/edit/")
    team_field = response.context["form"].fields["team"]
    assert set(team_field.queryset) == {aanzee.team, regional}
    with pytest.raises(ValidationError) as refused:
        team_field.clean(str(bzonder.team.pk))
    assert refused.value.messages == [
        "Dit team werkt niet voor deze gemeente. Kies een team van deze gemeente of een "
        "regionaal team dat voor deze gemeente werkt."
    ]


def test_e_mails_come_from_the_dossiers_municipality(aanzee, bzonder):
    dossier = DossierFactory(site=bzonder.site, team=bzonder.team)
    notification = Notification.objects.create(
        dossier=dossier, kind="test", recipient="an@cafedemarkt.be", subject="Test", body="Test"
    )
    delivery.send(notification)
    assert mail.outbox[-1].from_email == "Gemeente Bzonder <loket@bzonder.be>"


def test_a_municipality_without_a_sender_uses_the_installations(settings, aanzee):
    settings.DEFAULT_FROM_EMAIL = "Loket <loket@example.org>"
    account = MunicipalitySettings.for_site(aanzee.site)
    account.sender_email = ""
    account.save()
    assert delivery.sender_of(DossierFactory(site=aanzee.site)) == "Loket <loket@example.org>"


def test_a_payment_goes_to_the_dossiers_municipalitys_account(aanzee, bzonder):
    for made, bic in ((aanzee, "GKCCBEBB"), (bzonder, "GKCCBEBB")):
        account = PaymentSettings.for_site(made.site)
        account.bic = bic
        account.save()
    dossier = DossierFactory(site=bzonder.site, team=bzonder.team, amount_due=Decimal("25.00"))
    # The request comes in on A's host name: the account is still B's.
    account = payments.payment_settings_for(dossier)
    assert (account.creditor_name, account.iban) == ("Gemeente Bzonder", "BE43068999999501")
    request = payments.request_payment(dossier, officer_of(bzonder.team, "bea"))
    transfer = payments.transfer_of(request, account)
    assert transfer.iban == "BE43068999999501"


def test_inbox_queries_do_not_grow_with_the_number_of_municipalities(client):
    def inbox_queries(count: int) -> int:
        regional = Team.objects.filter(name="Regio").first() or ensure_team("Regio", sites=[])
        existing = Site.objects.filter(hostname__endswith=".regio.localhost").count()
        for number in range(existing, count):
            made = add_municipality(
                name=f"Gemeente {number}", hostname=f"g{number}.regio.localhost"
            )
            regional.sites.add(made.site)
            DossierFactory(site=made.site, team=regional, reference=f"G{number}-TER-2026-00001")
        desk = UserFactory(username="regio")
        desk.groups.add(regional.group)
        client.force_login(desk)
        # The first request refreshes the site lookup cache and the session.
        client.get("/admin/dossiers/dossier/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/dossiers/dossier/")
        assert response.status_code == 200
        assert f"G{count - 1}-TER-2026-00001" in response.content.decode()
        return len(queries)

    one = inbox_queries(1)
    two = inbox_queries(2)
    twenty = inbox_queries(20)
    # From two municipalities on, the filter by municipality reads its choices (one
    # query); more municipalities add nothing.
    assert two == one + 1
    assert twenty == two


def test_add_municipality_command(capsys):
    call_command("add_municipality", "Gemeente Anderzijds", "anderzijds.localhost", "--code", "AND")
    site = Site.objects.get(hostname="anderzijds.localhost")
    assert site.site_name == "Gemeente Anderzijds"
    assert MunicipalitySettings.for_site(site).reference_code == "AND"
    team = Team.objects.get(name="Gemeente Anderzijds")
    assert list(team.sites.all()) == [site]
    assert team.group.name == "Behandelaars Gemeente Anderzijds"
    assert "Redacteurs Gemeente Anderzijds" in capsys.readouterr().out
    with pytest.raises(CommandError, match="anderzijds.localhost"):
        call_command("add_municipality", "Gemeente Elders", "anderzijds.localhost")


def test_the_admin_screen_adds_a_municipality_for_superusers_only(admin_client, client):
    response = admin_client.post(
        "/admin/gemeenten/",
        {
            "name": "Gemeente Anderzijds",
            "hostname": "anderzijds.localhost",
            "port": "80",
            "reference_code": "AND",
        },
    )
    assert response.status_code == 302
    assert Site.objects.filter(hostname="anderzijds.localhost").exists()
    assert "Gemeente Anderzijds" in admin_client.get("/admin/gemeenten/").content.decode()
    again = admin_client.post(
        "/admin/gemeenten/",
        {"name": "Gemeente Elders", "hostname": "anderzijds.localhost", "port": "80"},
    )
    assert "De hostnaam anderzijds.localhost is al in gebruik" in again.content.decode()
    client.force_login(UserFactory(username="redacteur"))
    assert client.get("/admin/gemeenten/").status_code != 200
