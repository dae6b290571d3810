"""Advice parties, the college's secretariat and invitations to make an appointment,
per municipality (docs/gemeenten.md)."""

from __future__ import annotations

import pytest

from cms.municipalities import add_municipality
from dossiers.admin.advice import AdviceRequestForm
from dossiers.appointments import invitations
from dossiers.exceptions import ActionRefused
from dossiers.models import AdviceParty, AppointmentType, Desk
from dossiers.permissions import secretariat_dossiers
from tests.factories import DossierFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns():
    a = add_municipality(name="Gemeente Aanzee", hostname="aanzee.localhost")
    b = add_municipality(name="Gemeente Bzonder", hostname="bzonder.localhost")
    return a, b


def test_a_dossier_asks_advice_of_its_municipalitys_parties_and_the_shared_ones(towns):
    a, b = towns
    shared = AdviceParty.objects.create(name="Politiezone", email="politie@zone.be")
    own = AdviceParty.objects.create(name="Brandweer Aanzee", email="bw@aanzee.be", site=a.site)
    other = AdviceParty.objects.create(name="Brandweer Bzonder", email="bw@bzonder.be", site=b.site)
    dossier = DossierFactory(site=a.site)
    offered = set(AdviceRequestForm(dossier=dossier).fields["parties"].queryset)
    assert offered == {shared, own}
    assert not other.serves(a.site.pk) and own.serves(a.site.pk) and shared.serves(b.site.pk)


def test_an_invitation_is_to_a_desk_of_the_dossiers_municipality(towns):
    a, b = towns
    regional = UserFactory(username="regio")
    kinds = {}
    for town in (a, b):
        desk = Desk.objects.create(site=town.site, name=f"Balie {town.site.site_name}")
        kind = AppointmentType.objects.create(desk=desk, name="Gesprek", slug=f"g{town.site.pk}")
        kind.officers.add(regional)
        kinds[town.site.pk] = kind
    dossier = DossierFactory(site=a.site)
    assert invitations.types_for(regional, dossier) == [kinds[a.site.pk]]
    with pytest.raises(ActionRefused, match="andere gemeente"):
        invitations.invite(dossier, regional, kinds[b.site.pk])
    assert invitations.invite(dossier, regional, kinds[a.site.pk]).dossier == dossier


def test_the_secretariat_reads_the_proposals_of_its_own_municipalities(towns):
    a, b = towns
    mine = DossierFactory(site=a.site, team=a.team)
    DossierFactory(site=b.site, team=b.team)
    secretary = UserFactory(username="secretariaat_a")
    secretary.groups.add(a.team.group)
    assert list(secretariat_dossiers(secretary)) == [mine]
    nobody = UserFactory(username="secretariaat_zonder_team")
    assert not secretariat_dossiers(nobody).exists()  # several municipalities, no team


def test_a_form_outside_every_site_is_named_by_the_database_check(home_page):
    from wagtail.models import Page

    from dossiers.checks import forms_belong_to_a_site
    from tests.conftest import make_form_page

    make_form_page(home_page, title="Formulier binnen", slug="binnen", reference_prefix="BIN")
    assert forms_belong_to_a_site(databases=["default"]) == []
    make_form_page(
        Page.get_first_root_node(),
        title="Zwervend formulier",
        slug="zwervend",
        reference_prefix="ZWE",
    )
    [warning] = forms_belong_to_a_site(databases=["default"])
    assert warning.id == "loket.W201" and "Zwervend formulier" in warning.msg
    assert forms_belong_to_a_site() == []  # only when asked to look at a database
