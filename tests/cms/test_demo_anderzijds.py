"""The demo's second municipality: its own host name, users and a regional team."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from cms.demo import load_demo
from dossiers import permissions
from dossiers.models import Dossier, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_demo_municipalities(db):
    load_demo(second_municipality=True)


def test_anderzijds_has_its_own_site_form_and_numbering(two_demo_municipalities, client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "anderzijds.localhost"]
    site = Site.objects.get(hostname="anderzijds.localhost")
    assert site.site_name == "Gemeente Anderzijds"
    theirs = Dossier.objects.filter(site=site)
    assert theirs.count() == 2
    assert all(dossier.reference.startswith("AND-TRA-") for dossier in theirs)
    assert {dossier.team.name for dossier in theirs} == {"Regionaal loket lokale economie"}
    response = client.get("/", HTTP_HOST="anderzijds.localhost")
    assert response.status_code == 200
    assert "Gemeente Anderzijds" in response.content.decode()


def test_each_demo_login_sees_its_own_municipality(two_demo_municipalities):
    users = get_user_model().objects
    anderzijds = Site.objects.get(hostname="anderzijds.localhost")
    voorbeeld = Site.objects.get(is_default_site=True)
    regio = users.get(username="regio")
    assert set(permissions.visible_dossiers(regio).values_list("site", flat=True)) == {
        anderzijds.pk
    }
    assert set(Team.objects.get(name="Regionaal loket lokale economie").sites.all()) == {
        anderzijds,
        voorbeeld,
    }
    behandelaar = users.get(username="behandelaar")  # every team of Gemeente Voorbeeld
    assert not permissions.visible_dossiers(behandelaar).filter(site=anderzijds).exists()
    assert (
        users.get(username="behandelaar-anderzijds")
        .groups.filter(name="Behandelaars Gemeente Anderzijds")
        .exists()
    )
    editor = users.get(username="redacteur-anderzijds")
    assert editor.groups.filter(name="Redacteurs Gemeente Anderzijds").exists()


def test_loading_both_again_changes_nothing(two_demo_municipalities):
    before = (Page.objects.count(), Dossier.objects.count(), Site.objects.count())
    load_demo(second_municipality=True)
    assert (Page.objects.count(), Dossier.objects.count(), Site.objects.count()) == before
