"""The identity a sign-in vouched for, kept on the dossier (issue #23): stored at
submission from the sign-in (the government login against the local provider of
tests/oidc_provider.py), never from the answers; pseudonymised; what Mijn loket goes
by; found, exported and erased by the requests of data subjects."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from dossiers import privacy
from dossiers.constants import SearchKind
from dossiers.models import Dossier
from dossiers.models.portal import Assurance
from dossiers.portal import services as portal_services
from dossiers.portal import vouched
from dossiers.portal.identity import ApplicantIdentity
from dossiers.privacy.erasure import REQUEST
from tests.dossiers import test_portal_oidc as base
from tests.factories import DossierFactory, UserFactory
from tests.forms_builder.test_wizard import COMPANY, TERRACE, Applicant

#: The local provider and the site configured for it, as in test_portal_oidc.py.
provider, login = base.provider, base.login
KBO, OVERVIEW_URL, sign_in = base.KBO, base.OVERVIEW_URL, base.sign_in

NATIONAL_ID = "85073003328"
TYPED_KBO = "0202239951"
PRIVACY_URL = "/admin/privacy/"


def submit_signed_in(client, form_page, **typed):
    """Sign in with the government login, fill the form in (``typed`` adds answers of
    the first step) and send it; the dossier."""
    sign_in(client)
    applicant = Applicant(client, form_page)
    applicant.open()
    applicant.answer({**COMPANY, **typed})
    applicant.answer(TERRACE)
    response = applicant.submit()
    assert response.redirect_chain[-1][0].endswith("bevestiging/")
    return Dossier.objects.get()


@pytest.mark.django_db
def test_submitting_signed_in_keeps_what_the_login_vouched_for(client, login, form_page):
    dossier = submit_signed_in(client, form_page)
    assert dossier.vouched_method == "oidc-vlaanderen"
    assert dossier.vouched_enterprise == KBO
    assert dossier.vouched_assurance == Assurance.SUBSTANTIAL
    assert dossier.vouched_person == vouched.person_key(NATIONAL_ID)
    assert len(dossier.vouched_person) == 64
    assert vouched.unseal(dossier.vouched_national_id) == NATIONAL_ID
    # Never in the clear in the row.
    row = Dossier.objects.filter(pk=dossier.pk).values().get()
    assert NATIONAL_ID not in json.dumps(row, default=str)


@pytest.mark.django_db
def test_a_number_typed_in_the_form_is_not_the_vouched_enterprise(client, login, form_page):
    dossier = submit_signed_in(client, form_page)
    Dossier.objects.filter(pk=dossier.pk).update(enterprise_number=TYPED_KBO)
    dossier.refresh_from_db()
    assert dossier.vouched_enterprise == KBO
    assert dossier.enterprise_number == TYPED_KBO


@pytest.mark.django_db
def test_the_e_mail_link_vouches_for_no_person(client, form_page):
    from dossiers.portal.identity import ApplicantIdentity

    assert vouched.from_identity(ApplicantIdentity(method="email_link", email="an@x.be")) == {}
    assert vouched.from_identity(None) == {}
    applicant = Applicant(client, form_page)
    applicant.fill_in_everything()
    applicant.submit()
    dossier = Dossier.objects.get()
    assert (dossier.vouched_method, dossier.vouched_person, dossier.vouched_enterprise) == (
        "",
        "",
        "",
    )
    assert dossier.vouched_national_id == "" and dossier.vouched_assurance == 0


@pytest.mark.django_db
def test_mijn_loket_shows_the_person_their_dossiers_sent_signed_in(
    client, login, provider, form_page
):
    provider.claims.update(vo_orgcode="")  # the person signs in for themselves
    dossier = submit_signed_in(client, form_page)
    assert dossier.vouched_enterprise == ""
    html = client.get(OVERVIEW_URL).content.decode()
    assert dossier.reference in html


@pytest.mark.django_db
def test_another_person_does_not_see_them(client, login, provider, form_page):
    provider.claims.update(vo_orgcode="")
    dossier = submit_signed_in(client, form_page)
    client.logout()
    provider.claims.update(rrn="90020199730", sub="someone-else")
    sign_in(client)
    assert dossier.reference not in client.get(OVERVIEW_URL).content.decode()


def test_the_pseudonym_is_keyed_and_stable(settings):
    first = vouched.person_key("85.07.30-033.28")
    assert first == vouched.person_key(NATIONAL_ID)
    assert first != vouched.person_key("90020199730")
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert vouched.person_key(NATIONAL_ID) != first
    assert vouched.person_key("") == ""


def test_a_dedicated_identity_key_survives_a_new_secret_key(settings):
    settings.LOKET_IDENTITY_KEY = "identity-key-for-this-test-only-0123456789abcdef"
    key, sealed = vouched.person_key(NATIONAL_ID), vouched.seal(NATIONAL_ID)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert vouched.person_key(NATIONAL_ID) == key
    assert vouched.unseal(sealed) == NATIONAL_ID
    settings.LOKET_IDENTITY_KEY = "a-new-identity-key-0123456789abcdefghijklmnop"
    assert vouched.person_key(NATIONAL_ID) != key
    assert vouched.unseal(sealed) == ""  # logged, never raised


def test_a_sealed_number_cannot_be_read_with_another_key(settings, caplog):
    token = vouched.seal(NATIONAL_ID)
    assert NATIONAL_ID not in token and vouched.unseal(token) == NATIONAL_ID
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert vouched.unseal(token) == ""
    assert "cannot be read" in caplog.text


# --- requests of data subjects ----------------------------------------------------------


@pytest.fixture
def admin(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.mark.parametrize("text", ["85.07.30-033.28", "85073003328"])
def test_a_national_register_number_is_a_search_term(text):
    assert privacy.parse_search_term(text) == privacy.SearchTerm(
        SearchKind.NATIONAL_ID, NATIONAL_ID
    )


def test_a_wrong_national_register_number_is_refused_in_dutch():
    with pytest.raises(ValidationError) as refused:
        privacy.parse_search_term("85073003329")
    assert refused.value.messages == ["Dit rijksregisternummer klopt niet. Kijk de 11 cijfers na."]


@pytest.mark.django_db
def test_a_request_by_national_number_finds_exports_and_erases_it(client, login, form_page, admin):
    dossier = submit_signed_in(client, form_page)
    client.force_login(admin)
    found = privacy.find(privacy.parse_search_term(NATIONAL_ID))
    assert [(each.pk, each.found_as) for each in found.dossiers] == [(dossier.pk, "applicant")]
    by_enterprise = privacy.find(privacy.parse_search_term(KBO))
    assert [(each.pk, each.found_as) for each in by_enterprise.dossiers] == [
        (dossier.pk, "company")
    ]

    response = client.post(PRIVACY_URL, {"action": "export", "term": "85.07.30-033.28"})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("gegevens.json"))
    assert data["dossiers"][0]["signed_in"] == {
        "method": "oidc-vlaanderen",
        "national_register_number": NATIONAL_ID,
        "enterprise_number": KBO,
        "level_of_assurance": Assurance.SUBSTANTIAL,
    }

    privacy.erase_personal_data(dossier.pk, cause=REQUEST)
    dossier.refresh_from_db()
    assert (dossier.vouched_person, dossier.vouched_national_id, dossier.vouched_enterprise) == (
        "",
        "",
        "",
    )
    # How, not who: kept for the figures.
    assert dossier.vouched_method == "oidc-vlaanderen"
    assert privacy.find(privacy.parse_search_term(NATIONAL_ID)).dossiers == []


@pytest.mark.django_db
def test_the_officer_sees_what_the_sign_in_proved(client, login, form_page, admin):
    dossier = submit_signed_in(client, form_page)
    unproven = Dossier.objects.create(
        **{
            field: getattr(dossier, field)
            for field in ("form_page", "site", "form_title", "snapshot", "submitted_at")
        },
        reference="TER-2026-99999",
        enterprise_number=KBO,  # typed: no proof
    )
    client.force_login(admin)
    page = client.get(f"/admin/dossiers/dossier/inspect/{dossier.pk}/").content.decode()
    assert (
        "Verstuurd terwijl aangemeld met de aanmelddienst van de overheid "
        "(betrouwbaarheidsniveau: substantieel), namens onderneming 0403019261"
    ) in page
    other = client.get(f"/admin/dossiers/dossier/inspect/{unproven.pk}/").content.decode()
    assert "data-vouched" not in other


# --- a new identity key --------------------------------------------------------------------

OLD_KEY = "the-identity-key-of-last-year-0123456789abcdefghij"
NEW_KEY = "the-identity-key-of-this-year-0123456789abcdefghij"


def proven_dossier(form_page):
    """A dossier whose sender proved NATIONAL_ID (stored under the key in force now)."""
    fields = vouched.dossier_fields(
        {"method": "oidc-vlaanderen", "national_id": NATIONAL_ID, "assurance": 2}
    )
    return DossierFactory(form_page=form_page, applicant_email="an@cafedemarkt.be", **fields)


def found_by_number() -> list[tuple[str, str]]:
    findings = privacy.find(privacy.parse_search_term(NATIONAL_ID))
    return [(dossier.reference, dossier.found_as) for dossier in findings.dossiers]


def mijn_loket_finds(dossier) -> bool:
    identity = ApplicantIdentity(method="oidc-vlaanderen", email="", national_id=NATIONAL_ID)
    return dossier.pk in {each.pk for each in portal_services.dossiers_for(identity)}


def rekey(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("rekey_identities", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.mark.django_db
def test_an_old_identity_key_keeps_working_until_every_dossier_is_moved(settings, form_page):
    settings.LOKET_IDENTITY_KEY = OLD_KEY
    dossier = proven_dossier(form_page)
    settings.LOKET_IDENTITY_KEY, settings.LOKET_IDENTITY_OLD_KEYS = NEW_KEY, [OLD_KEY]

    # Still under the old key, the dossier is read and found by the number.
    assert vouched.unseal(dossier.vouched_national_id) == NATIONAL_ID
    assert found_by_number() == [(dossier.reference, "applicant")]
    assert mijn_loket_finds(dossier)

    assert "Would move 1 dossiers" in rekey("--dry-run")
    assert Dossier.objects.get(pk=dossier.pk).vouched_person == dossier.vouched_person
    assert "Moved 1 dossiers" in rekey()
    moved = Dossier.objects.get(pk=dossier.pk)
    assert moved.vouched_person == vouched.person_key(NATIONAL_ID) != dossier.vouched_person
    assert moved.vouched_national_id != dossier.vouched_national_id
    assert NATIONAL_ID not in moved.vouched_national_id
    assert "Moved 0 dossiers" in rekey() and "1 were under it already" in rekey()

    # The old key can go now: nothing needs it.
    settings.LOKET_IDENTITY_OLD_KEYS = []
    assert vouched.unseal(moved.vouched_national_id) == NATIONAL_ID
    assert found_by_number() == [(dossier.reference, "applicant")]
    assert mijn_loket_finds(moved)


@pytest.mark.django_db
def test_without_the_old_key_the_command_says_what_it_cannot_read(settings, form_page):
    settings.LOKET_IDENTITY_KEY = OLD_KEY
    dossier = proven_dossier(form_page)
    settings.LOKET_IDENTITY_KEY = NEW_KEY

    assert not mijn_loket_finds(dossier)
    output = rekey()
    assert "Moved 0 dossiers" in output and "1 cannot be read" in output
    assert "LOKET_IDENTITY_OLD_KEYS" in output
    assert Dossier.objects.get(pk=dossier.pk).vouched_national_id == dossier.vouched_national_id


def test_a_new_secret_key_with_its_fallback_keeps_identities_readable(settings):
    settings.LOKET_IDENTITY_KEY = ""
    key, sealed = vouched.person_key(NATIONAL_ID), vouched.seal(NATIONAL_ID)
    old_secret = settings.SECRET_KEY
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    settings.SECRET_KEY_FALLBACKS = [old_secret]
    assert vouched.unseal(sealed) == NATIONAL_ID
    assert vouched.person_keys(NATIONAL_ID) == [vouched.person_key(NATIONAL_ID), key]
    assert vouched.person_key(NATIONAL_ID) != key
