"""The company's page in Mijn loket in a real browser, checked by axe-core: the demo
café signed in for its enterprise (the session a government login leaves), its register
data, a suggested service, and choosing letters on paper (with a mistake first)."""

from __future__ import annotations

from dataclasses import asdict
from importlib import import_module

import pytest
from django.conf import settings
from django.utils import timezone

from cms.demo import load_demo
from dossiers.models import ContactPreference
from dossiers.portal.identity import SESSION_KEY, ApplicantIdentity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CAFE = "0417497106"


def signed_in_page(new_page, base: str):
    """A browser whose session holds the identity a government login leaves."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = timezone.now().timestamp()
    identity = ApplicantIdentity(
        method="oidc", email="an@cafedemarkt.be", enterprise_number=CAFE, name="An"
    )
    store[SESSION_KEY] = {"identity": asdict(identity), "signed_in_at": now, "last_seen": now}
    store.create()
    page = new_page()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": base}]
    )
    return page


def test_the_company_page_and_choosing_paper(live_server, new_page, axe, settings):
    settings.LOKET_KBO_POSTCODES = ["9000"]
    load_demo()
    base = live_server.url
    page = signed_in_page(new_page, base)
    page.goto(base + "/mijn-loket/")
    page.locator("a[data-company-link]").click()
    page.wait_for_url(base + "/mijn-loket/onderneming/")
    main = page.locator("main")
    assert "De Markt" in main.inner_text()
    assert "Markt 1, 9000 Voorbeeld" in main.inner_text()
    assert page.locator("[data-suggestions]").count() == 1
    axe(page, "company page")

    page.locator("input[name=channel][value=paper]").check()
    page.locator("textarea[name=postal_address]").fill("")
    page.locator("form[data-preference-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary a[href='#id_postal_address']").count() == 1
    axe(page, "company page with an error")

    page.locator("textarea[name=postal_address]").fill("De Markt BV\nKerkstraat 3\n9000 Gent")
    page.locator("form[data-preference-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Uw keuze is bewaard." in main.inner_text()
    assert ContactPreference.objects.get(enterprise_number=CAFE).channel == "paper"
    axe(page, "company page after saving")
