"""Two-factor authentication for the admin (cms/two_factor), through the test client.

Codes are computed the way an authenticator app does (django_otp.oath.totp from the
device's key): nothing about the check is mocked.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from cms.two_factor import forms, services
from dossiers.models import Team
from tests.dossiers.conftest import make_team
from tests.factories import UserFactory

PASSWORD = "een-lang-wachtwoord"
ADMIN_HOME = "/admin/"
INBOX = "/admin/dossiers/dossier/"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now (or ``steps_ahead`` periods of 30 s later: a code is
    accepted once, so a second sign-in in the same half minute uses the next one).

    The device is read again first: when an earlier code was accepted one period late
    (a sign-in that crossed a 30 s boundary), django-otp moved the device's ``drift``, and a
    code computed with the stale drift can fall outside the accepted window."""
    device.refresh_from_db(fields=["drift", "last_t"])
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def make_staff(username: str, **extra):
    """An officer of a team (whose group may use the admin)."""
    team = Team.objects.first() or make_team("Economie")
    user = UserFactory(username=username, **extra)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(team.group)
    return user


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """An app and backup codes, as if the person had set them up."""
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device, services.new_backup_codes(user)


@pytest.fixture
def required(settings):
    settings.LOKET_ADMIN_2FA_REQUIRED = True


@pytest.fixture
def officer(db):
    return make_staff("behandelaar")


@pytest.fixture
def signed_in(client, officer):
    """The officer's browser right after the password step (Wagtail's login)."""
    client.force_login(officer)
    return client


def verify(client, code: str, next_url: str = ADMIN_HOME):
    return client.post(reverse("two_factor_verify"), {"code": code, "next": next_url})


def error_text(response) -> str:
    return response.content.decode()


def in_dutch(text) -> str:
    """What the admin shows (in the person's language: Dutch by default), HTML-escaped."""
    from django.utils.html import escape

    with translation.override("nl"):
        return escape(translation.gettext(text) if isinstance(text, str) else str(text))


def field_errors(response) -> list[str]:
    return re.findall(r'class="error-message"[^>]*>\s*(.*?)\s*<', response.content.decode(), re.S)


# --- the requirement ----------------------------------------------------------------------


@pytest.mark.django_db
class TestRequired:
    def test_without_an_app_every_admin_page_leads_to_the_set_up(self, required, signed_in):
        response = signed_in.get(INBOX + "?q=TER")
        assert response.status_code == 302
        assert response.url == reverse("two_factor_set_up") + "?" + urlencode(
            {"next": INBOX + "?q=TER"}
        )
        assert signed_in.get(ADMIN_HOME).url.startswith(reverse("two_factor_set_up"))

    def test_with_an_app_every_admin_page_asks_for_a_code(self, required, signed_in, officer):
        enrol(officer)
        for url in (ADMIN_HOME, INBOX, INBOX + "?export=csv", "/admin/account/"):
            response = signed_in.get(url)
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("two_factor_verify") + "?next="), url
        # Posting to an admin view does not get past it either.
        response = signed_in.post("/admin/account/", {"name_email-first_name": "X"})
        assert response.url == reverse("two_factor_verify")

    def test_the_login_page_and_sign_out_stay_open(self, required, signed_in, officer):
        enrol(officer)
        assert signed_in.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
        assert signed_in.post(reverse("wagtailadmin_logout")).status_code == 302
        assert signed_in.get(ADMIN_HOME).url.startswith(reverse("wagtailadmin_login"))

    def test_the_public_site_is_not_guarded(self, required, signed_in, officer, home_page):
        enrol(officer)
        assert signed_in.get("/").status_code == 200

    def test_applicants_and_visitors_are_not_affected(self, required, client, home_page):
        assert client.get("/").status_code == 200
        assert client.get("/mijn-loket/aanmelden/").status_code == 200
        # Someone not signed in meets Wagtail's login page, as before.
        assert client.get(INBOX).url.startswith(reverse("wagtailadmin_login"))

    def test_users_who_cannot_use_the_admin_are_not_asked(self, required, client):
        nobody = UserFactory(username="geen-toegang")
        client.force_login(nobody)
        response = client.get(ADMIN_HOME)
        assert response.url.startswith(reverse("wagtailadmin_login"))


# --- the code step ------------------------------------------------------------------------


@pytest.mark.django_db
class TestVerify:
    def test_the_right_code_opens_the_page_asked_for(self, required, signed_in, officer):
        device, _codes = enrol(officer)
        page = signed_in.get(reverse("two_factor_verify") + "?next=" + INBOX)
        assert page.status_code == 200
        assert 'name="code"' in page.content.decode()
        assert page["Cache-Control"].startswith("max-age=0")
        response = verify(signed_in, code_for(device), INBOX)
        assert response.status_code == 302 and response.url == INBOX
        assert signed_in.get(ADMIN_HOME).status_code == 200
        assert signed_in.get(INBOX).status_code == 200
        device.refresh_from_db()
        assert device.last_used_at is not None

    def test_a_wrong_code_is_refused_with_a_message(self, required, signed_in, officer):
        device, _codes = enrol(officer)
        wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"
        response = verify(signed_in, wrong)
        assert response.status_code == 200
        assert in_dutch(forms.WRONG_CODE) in error_text(response)
        assert signed_in.get(ADMIN_HOME).url.startswith(reverse("two_factor_verify"))
        device.refresh_from_db()
        assert device.throttling_failure_count == 1

    def test_a_code_that_is_no_code_at_all(self, required, signed_in, officer):
        enrol(officer)
        response = verify(signed_in, "1234")
        assert response.status_code == 200
        assert field_errors(response) == [
            in_dutch("Enter the 6 digits in your app, or a backup code of 8 letters and digits.")
        ]
        assert field_errors(verify(signed_in, "")) == [in_dutch("Enter the code.")]

    def test_wrong_app_code_and_wrong_backup_code_read_the_same(self, required, signed_in, officer):
        device, _codes = enrol(officer)
        wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
        # Each kind of code has its own device, so the first wrong code locks nothing
        # for the other.
        assert (
            field_errors(verify(signed_in, "zzzz2222"))
            == field_errors(verify(signed_in, wrong))
            == [in_dutch(forms.WRONG_CODE)]
        )

    def test_throttled_after_wrong_codes_even_the_right_code_waits(
        self, required, signed_in, officer
    ):
        device, _codes = enrol(officer)
        device.throttling_failure_count = 6
        device.throttling_failure_timestamp = timezone.now()
        device.save()
        response = verify(signed_in, code_for(device))
        assert response.status_code == 200
        with translation.override("nl"):
            assert field_errors(response) == [in_dutch(forms.wait_message(32))]
        assert signed_in.get(ADMIN_HOME).url.startswith(reverse("two_factor_verify"))
        # Once the wait is over, the right code works again and the count starts afresh.
        device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=40)
        device.save()
        assert verify(signed_in, code_for(device)).status_code == 302
        device.refresh_from_db()
        assert device.throttling_failure_count == 0

    def test_the_throttle_is_on(self, settings):
        assert settings.OTP_TOTP_THROTTLE_FACTOR >= 1
        assert settings.OTP_STATIC_THROTTLE_FACTOR >= 1

    def test_a_code_works_only_once(self, required, client, officer):
        device, _codes = enrol(officer)
        code = code_for(device)
        client.force_login(officer)
        assert verify(client, code).status_code == 302
        client.logout()
        client.force_login(officer)
        assert verify(client, code).status_code == 200

    def test_a_backup_code_works_once(self, required, client, officer):
        _device, codes = enrol(officer)
        client.force_login(officer)
        response = verify(client, services.format_backup_code(codes[0]).upper())
        assert response.status_code == 302
        assert client.get(ADMIN_HOME).status_code == 200
        assert StaticToken.objects.filter(device__user=officer).count() == 9
        client.logout()

        client.force_login(officer)
        response = verify(client, codes[0])
        assert response.status_code == 200
        assert field_errors(response) == [in_dutch(forms.WRONG_CODE)]
        # That wrong code locks the backup codes for a second; a second later one works.
        StaticDevice.objects.filter(user=officer).update(
            throttling_failure_timestamp=timezone.now() - timedelta(seconds=2)
        )
        assert verify(client, codes[1]).status_code == 302

    def test_next_never_leaves_the_site(self, required, signed_in, officer):
        device, _codes = enrol(officer)
        response = verify(signed_in, code_for(device), "https://elders.example/admin/")
        assert response.url == ADMIN_HOME

    def test_the_session_gets_a_new_key(self, required, signed_in, officer):
        device, _codes = enrol(officer)
        before = signed_in.session.session_key
        verify(signed_in, code_for(device))
        assert signed_in.session.session_key != before

    def test_a_reset_ends_the_verification_of_open_sessions(self, required, signed_in, officer):
        device, _codes = enrol(officer)
        verify(signed_in, code_for(device))
        assert signed_in.get(ADMIN_HOME).status_code == 200
        services.reset(officer)
        assert signed_in.get(ADMIN_HOME).url.startswith(reverse("two_factor_set_up"))


# --- setting up -----------------------------------------------------------------------------


def secret_on(page) -> str:
    found = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page.content.decode())
    assert found, "the set-up page shows the secret as text"
    return found.group(1).replace(" ", "")


def code_from_secret(secret: str, steps_ahead: int = 0) -> str:
    from base64 import b32decode

    key = b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


@pytest.mark.django_db
class TestSetUp:
    def test_first_sign_in_sets_up_the_app_and_shows_backup_codes_once(
        self, required, signed_in, officer
    ):
        page = signed_in.get(reverse("two_factor_set_up") + "?next=" + INBOX)
        assert page.status_code == 200
        body = page.content.decode()
        assert reverse("two_factor_qr_code") in body
        assert "<script>" not in body and " style=" not in body
        secret = secret_on(page)
        # Reloading shows the same secret: what was scanned stays valid.
        assert secret_on(signed_in.get(reverse("two_factor_set_up"))) == secret

        qr = signed_in.get(reverse("two_factor_qr_code"))
        assert qr.status_code == 200
        assert qr["Content-Type"] == "image/svg+xml"
        assert b"<svg" in qr.content
        assert "no-store" in qr["Cache-Control"]

        wrong = signed_in.post(reverse("two_factor_set_up"), {"code": "000000", "next": INBOX})
        if code_from_secret(secret) != "000000":
            assert wrong.status_code == 200
            assert field_errors(wrong) == [in_dutch(forms.WRONG_CODE)]

        # The wrong code above locked the new app for a second.
        TOTPDevice.objects.filter(user=officer).update(throttling_failure_count=0)
        response = signed_in.post(
            reverse("two_factor_set_up"), {"code": code_from_secret(secret), "next": INBOX}
        )
        assert response.status_code == 302
        assert response.url.startswith(reverse("two_factor_backup_codes"))
        shown = signed_in.get(response.url)
        codes = re.findall(r"<code>([a-z2-7]{4} [a-z2-7]{4})</code>", shown.content.decode())
        assert len(codes) == services.BACKUP_CODE_COUNT
        assert f'href="{INBOX}"' in shown.content.decode()
        assert "<code>" not in signed_in.get(response.url).content.decode(), "shown once"

        assert signed_in.get(INBOX).status_code == 200
        assert TOTPDevice.objects.get(user=officer).confirmed
        assert ModelLogEntry.objects.filter(action=services.LOG_SET_UP).count() == 1

        # The next sign-in asks for a code; a backup code shown above works.
        signed_in.logout()
        signed_in.force_login(officer)
        assert signed_in.get(INBOX).url.startswith(reverse("two_factor_verify"))
        assert verify(signed_in, codes[3]).status_code == 302

    def test_someone_with_an_app_cannot_set_up_another_before_the_code(
        self, required, signed_in, officer
    ):
        enrol(officer)
        response = signed_in.get(reverse("two_factor_set_up"))
        assert response.url.startswith(reverse("two_factor_verify"))
        assert signed_in.get(reverse("two_factor_qr_code")).status_code == 302
        assert not TOTPDevice.objects.filter(user=officer, confirmed=False).exists()

    def test_after_the_code_a_new_app_needs_a_code_on_the_account_page(
        self, required, signed_in, officer
    ):
        device, _codes = enrol(officer)
        verify(signed_in, code_for(device))
        response = signed_in.get(reverse("two_factor_set_up"))
        assert response.url == reverse("two_factor_account")
        assert signed_in.get(reverse("two_factor_qr_code")).status_code == 404


# --- the account page -----------------------------------------------------------------------


@pytest.fixture
def verified(required, signed_in, officer):
    device, codes = enrol(officer)
    assert verify(signed_in, code_for(device)).status_code == 302
    return device, codes


@pytest.mark.django_db
class TestAccount:
    def test_account_shows_the_state_and_links_from_wagtails_account(self, verified, signed_in):
        assert reverse("two_factor_account") in signed_in.get("/admin/account/").content.decode()
        page = signed_in.get(reverse("two_factor_account"))
        assert page.status_code == 200
        body = page.content.decode()
        assert 'value="backup_codes"' in body and 'value="new_app"' in body
        assert 'value="turn_off"' not in body, "required: it cannot be turned off"

    def test_new_backup_codes_need_a_code_and_replace_the_old(self, verified, signed_in):
        device, old_codes = verified
        url = reverse("two_factor_account")
        refused = signed_in.post(url, {"action": "backup_codes", "backup_codes-code": "12"})
        assert refused.status_code == 200
        assert StaticToken.objects.filter(token=old_codes[0]).exists()

        response = signed_in.post(
            url, {"action": "backup_codes", "backup_codes-code": code_for(device, 1)}
        )
        assert response.url.startswith(reverse("two_factor_backup_codes"))
        new_codes = re.findall(
            r"<code>([a-z2-7]{4} [a-z2-7]{4})</code>", signed_in.get(response.url).content.decode()
        )
        assert len(new_codes) == services.BACKUP_CODE_COUNT
        assert not StaticToken.objects.filter(token__in=old_codes).exists()
        # Still verified: the session did not depend on the old codes.
        assert signed_in.get(INBOX).status_code == 200

    def test_moving_to_a_new_phone(self, verified, signed_in, officer):
        old_device, _codes = verified
        url = reverse("two_factor_account")
        response = signed_in.post(
            url, {"action": "new_app", "new_app-code": code_for(old_device, 1)}
        )
        assert response.url.startswith(reverse("two_factor_set_up"))
        page = signed_in.get(response.url)
        assert page.status_code == 200
        secret = secret_on(page)
        response = signed_in.post(
            reverse("two_factor_set_up"), {"code": code_from_secret(secret), "next": url}
        )
        assert response.status_code == 302
        [device] = TOTPDevice.objects.filter(user=officer)
        assert device.pk != old_device.pk and device.confirmed
        assert signed_in.get(INBOX).status_code == 200
        # The permission to replace was used up.
        assert signed_in.get(reverse("two_factor_set_up")).url == url

    def test_nothing_else_can_be_posted(self, verified, signed_in, officer):
        device, _codes = verified
        url = reverse("two_factor_account")
        response = signed_in.post(url, {"action": "turn_off", "turn_off-code": code_for(device, 1)})
        assert response.url == url
        assert services.is_set_up(officer)


# --- the setting off --------------------------------------------------------------------------


@pytest.mark.django_db
class TestNotRequired:
    def test_nothing_changes(self, signed_in):
        assert signed_in.get(ADMIN_HOME).status_code == 200
        assert signed_in.get(INBOX).status_code == 200
        # The steps have nothing to ask and send the person on.
        assert signed_in.get(reverse("two_factor_verify") + "?next=" + INBOX).url == INBOX
        assert signed_in.get(reverse("two_factor_set_up")).url == reverse("two_factor_account")
        assert signed_in.get(reverse("two_factor_qr_code")).status_code == 404
        assert not TOTPDevice.objects.exists()
        assert (
            reverse("two_factor_account") not in signed_in.get("/admin/account/").content.decode()
        )

    def test_an_app_set_up_earlier_is_not_asked_for_and_kept(self, signed_in, officer):
        enrol(officer)
        assert signed_in.get(INBOX).status_code == 200
        page = signed_in.get(reverse("two_factor_account"))
        assert page.status_code == 200 and 'name="action"' not in page.content.decode()
        assert services.is_set_up(officer)


# --- administrators and operators ---------------------------------------------------------------


@pytest.fixture
def administrator(db):
    return make_staff("beheerder", is_superuser=True)


@pytest.mark.django_db
class TestAdministrators:
    def test_overview_shows_who_has_set_it_up(self, client, administrator, officer):
        enrol(officer)
        make_staff("redacteur")
        UserFactory(username="geen-toegang")
        client.force_login(administrator)
        page = client.get(reverse("two_factor_users"))
        assert page.status_code == 200
        body = page.content.decode()
        assert "behandelaar" in body and "redacteur" in body
        assert "geen-toegang" not in body
        missing = client.get(reverse("two_factor_users") + "?state=missing").content.decode()
        assert "redacteur" in missing and "behandelaar" not in missing
        # The users listing has a button to each person's page.
        users = client.get(reverse("wagtailusers_users:index")).content.decode()
        assert reverse("two_factor_user", args=[officer.pk]) in users

    def test_officers_do_not_see_it(self, signed_in, officer):
        assert signed_in.get(reverse("two_factor_users")).status_code in (302, 403)
        assert signed_in.post(reverse("two_factor_user", args=[officer.pk])).status_code in (
            302,
            403,
        )

    def test_an_administrator_resets_a_lost_phone(self, client, administrator, officer, settings):
        enrol(officer)
        client.force_login(administrator)
        page = client.get(reverse("two_factor_user", args=[officer.pk]))
        assert page.status_code == 200
        response = client.post(reverse("two_factor_user", args=[officer.pk]))
        assert response.url == reverse("two_factor_users")
        assert not services.is_set_up(officer)
        assert services.backup_codes_left(officer) == 0
        entry = ModelLogEntry.objects.get(action=services.LOG_RESET)
        assert entry.user_id == administrator.pk and entry.object_id == str(officer.pk)

    def test_a_user_manager_cannot_reset_a_superuser(self, client, administrator):
        enrol(administrator)
        manager = make_staff("gebruikersbeheer")
        manager.user_permissions.add(Permission.objects.get(codename="change_user"))
        client.force_login(manager)
        assert client.get(reverse("two_factor_users")).status_code == 200
        response = client.post(reverse("two_factor_user", args=[administrator.pk]))
        assert response.status_code in (302, 403)
        assert services.is_set_up(administrator)


@pytest.mark.django_db
class TestResetCommand:
    def test_reset_two_factor_removes_app_and_backup_codes(self, officer, capsys):
        enrol(officer)
        call_command("reset_two_factor", "behandelaar")
        assert "reset" in capsys.readouterr().out
        assert not TOTPDevice.objects.filter(user=officer).exists()
        assert not StaticDevice.objects.filter(user=officer).exists()
        assert ModelLogEntry.objects.filter(action=services.LOG_RESET).count() == 1

    def test_for_someone_without_it(self, officer, capsys):
        call_command("reset_two_factor", "behandelaar")
        assert "had not set up" in capsys.readouterr().out
        assert not ModelLogEntry.objects.filter(action=services.LOG_RESET).exists()

    def test_an_unknown_user(self, db):
        with pytest.raises(CommandError, match="niemand"):
            call_command("reset_two_factor", "niemand")


def test_the_deploy_check_warns_when_it_is_off(settings):
    from cms.two_factor.checks import two_factor_required

    settings.LOKET_ADMIN_2FA_REQUIRED = False
    assert [warning.id for warning in two_factor_required(None)] == ["loket.W001"]
    settings.LOKET_ADMIN_2FA_REQUIRED = True
    assert two_factor_required(None) == []


PRINT_PRODUCTION_SETTING = "import cms.settings.production as p; print(p.LOKET_ADMIN_2FA_REQUIRED)"


@pytest.mark.parametrize("environment, expected", [(None, "True"), ("false", "False")])
def test_production_switches_it_on_by_default(environment, expected):
    """In a process of its own: production's settings change shared dicts of base.py."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "SECRET_KEY": "x" * 50}
    env.pop("LOKET_ADMIN_2FA_REQUIRED", None)
    if environment is not None:
        env["LOKET_ADMIN_2FA_REQUIRED"] = environment
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import cms.settings.production as p; print(p.LOKET_ADMIN_2FA_REQUIRED)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == expected
