"""Proactive services (issue #22): rules editors write, the invitations a run proposes,
the officer's review before anything goes out, renewal invitations with the last
application's answers, the daily task; each municipality sees only its own."""

import datetime
import io
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import IntegrityError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from cms.demo.companies import DEMO_POSTCODES, demo_extract
from cms.municipalities import add_municipality
from dossiers.companies.importer import import_extract
from dossiers.constants import EventType, Status
from dossiers.models import (
    Event,
    InvitationChannel,
    InvitationStatus,
    Notification,
    Permit,
    ProactiveInvitation,
    ProactiveRule,
    RuleKind,
)
from dossiers.proactive import running, sending, services
from dossiers.proactive.tasks import run_proactive_rules
from tests.conftest import make_form_page
from tests.dossiers.test_company_profile import sign_in
from tests.factories import DossierFactory, UserFactory, field_block, step_block

pytestmark = pytest.mark.django_db


def decide(user, ids, *, approve):
    """The officer's review, with what it queues after commit run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.decide(user, ids, approve=approve)


CAFE = "0417497106"  # Café De Markt: a BV (610), NACE 56301, café on the Markt since 2018
SALON = "0403170701"  # Kapsalon Lotte: an NV (014), NACE 96021, since 2012
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def register(settings):
    settings.LOKET_KBO_POSTCODES = sorted(DEMO_POSTCODES)
    import_extract(io.BytesIO(demo_extract()), postcodes=DEMO_POSTCODES)


@pytest.fixture
def aanzee(db):
    return add_municipality(name="Gemeente Aanzee", hostname="aanzee.localhost")


@pytest.fixture
def bzonder(db):
    return add_municipality(name="Gemeente Bzonder", hostname="bzonder.localhost")


TERRACE = [
    step_block(
        "Uw terras",
        field_block("short_text", "Naam van de zaak", "zaak", prefill=True),
        field_block("integer", "Oppervlakte", "oppervlakte", prefill=True),
        field_block("short_text", "Opmerking voor ons", "opmerking"),
    )
]


def terrace_form(place):
    return make_form_page(place.home, team=place.team, steps=TERRACE, slug="terras")


def company_rule(place, form, **extra):
    values = {
        "site": place.site,
        "name": "Horeca: terras voorstellen",
        "kind": RuleKind.COMPANIES,
        "nace_codes": "56",
        "form_page": form,
        "subject": "Een terras voor {bedrijfsnaam}?",
        "message": "Beste {bedrijfsnaam},\n{reden}\nVraag het aan: {link}",
    }
    values.update(extra)
    return ProactiveRule.objects.create(**values)


def renewal_rule(place, form, **extra):
    values = {
        "site": place.site,
        "name": "Terras verlengen",
        "kind": RuleKind.RENEWAL,
        "permit_form": form,
        "days_before_end": 60,
        "subject": "Uw terrasvergunning eindigt op {einddatum}",
        "message": "{reden} Vraag een nieuwe aan: {link}",
        "subject_en": "Your terrace permit ends on {einddatum}",
        "message_en": "{reden} Apply again: {link}",
    }
    values.update(extra)
    return ProactiveRule.objects.create(**values)


def permitted(place, form, *, ends_on, enterprise_number=CAFE, **extra):
    """A granted terrace permit of ``place`` that ends on ``ends_on``."""
    dossier = DossierFactory(
        site=place.site,
        team=place.team,
        form_page=form,
        status=Status.APPROVED,
        enterprise_number=enterprise_number,
        answers={"s1": {"zaak": "Café De Markt", "oppervlakte": 24, "opmerking": "privé"}},
        **extra,
    )
    Permit.objects.create(
        dossier=dossier,
        kind="Terrasvergunning",
        valid_from=ends_on - datetime.timedelta(days=365),
        valid_until=ends_on,
        place="Markt 1",
        issued_at=timezone.now() - datetime.timedelta(days=300),
    )
    return dossier


def officer_of(place, username):
    user = UserFactory(username=username)
    user.groups.add(place.team.group)
    return user


class TestCompanyRules:
    def test_finds_the_horeca_company_with_its_reason_and_not_the_hair_salon(
        self, register, aanzee
    ):
        rule = company_rule(aanzee, terrace_form(aanzee))
        assert running.run_rule(rule, today=TODAY) == 1
        invitation = ProactiveInvitation.objects.get()
        assert invitation.enterprise_number == CAFE
        assert invitation.company_name == "De Markt"
        assert invitation.status == InvitationStatus.PROPOSED
        assert invitation.site == aanzee.site
        assert (
            "2.200.000.181" in invitation.reason and "Markt 1, 9000 Voorbeeld" in invitation.reason
        )
        assert "NACE 56.301" in invitation.reason
        assert invitation.link.endswith("/terras/")

    def test_legal_form_and_postcodes_narrow_the_companies(self, register, aanzee):
        form = terrace_form(aanzee)
        by_form = company_rule(aanzee, form, nace_codes="", legal_forms="014")
        running.run_rule(by_form, today=TODAY)
        assert list(by_form.invitations.values_list("enterprise_number", flat=True)) == [SALON]
        elsewhere = company_rule(aanzee, form, name="Elders", postcodes="8000")
        assert running.run_rule(elsewhere, today=TODAY) == 0

    def test_only_establishments_that_started_lately(self, register, aanzee):
        rule = company_rule(aanzee, terrace_form(aanzee), started_within_days=90)
        assert running.run_rule(rule, today=TODAY) == 0  # the café started in 2018
        assert running.run_rule(rule, today=datetime.date(2018, 7, 1)) == 1

    def test_a_second_run_proposes_nothing_again_whatever_was_decided(self, register, aanzee):
        rule = company_rule(aanzee, terrace_form(aanzee))
        running.run_rule(rule, today=TODAY)
        ProactiveInvitation.objects.update(status=InvitationStatus.REJECTED)
        assert running.run_rule(rule, today=TODAY) == 0
        assert ProactiveInvitation.objects.count() == 1
        rule.refresh_from_db()
        assert rule.last_run_at is not None

    def test_the_database_refuses_the_same_subject_twice_for_a_rule(self, register, aanzee):
        rule = company_rule(aanzee, terrace_form(aanzee))
        running.run_rule(rule, today=TODAY)
        with pytest.raises(IntegrityError):
            ProactiveInvitation.objects.create(
                rule=rule, site=aanzee.site, subject_key=f"company:{CAFE}", reason="x"
            )


class TestRenewal:
    def test_invites_permits_ending_within_the_days_with_the_answers_in_the_link(self, aanzee):
        form = terrace_form(aanzee)
        soon = permitted(aanzee, form, ends_on=TODAY + datetime.timedelta(days=30))
        later = TODAY + datetime.timedelta(days=90)
        permitted(aanzee, form, ends_on=later, enterprise_number="0200000001")
        past = TODAY - datetime.timedelta(days=1)
        permitted(aanzee, form, ends_on=past, enterprise_number="0200000002")
        withdrawn = permitted(
            aanzee,
            form,
            ends_on=TODAY + datetime.timedelta(days=10),
            enterprise_number="0200000003",
        )
        Permit.objects.filter(dossier=withdrawn).update(withdrawn_at=timezone.now())
        rule = renewal_rule(aanzee, form)
        assert running.run_rule(rule, today=TODAY) == 1
        invitation = ProactiveInvitation.objects.get()
        assert invitation.dossier == soon
        assert invitation.ends_on == TODAY + datetime.timedelta(days=30)
        assert soon.reference in invitation.reason
        query = parse_qs(urlsplit(invitation.link).query)
        # Only questions the editor lets a link fill in.
        assert query == {"zaak": ["Café De Markt"], "oppervlakte": ["24"]}

    def test_the_prefilled_link_fills_in_the_form(self, client, settings, aanzee):
        settings.ALLOWED_HOSTS = [".localhost", "testserver"]
        form = terrace_form(aanzee)
        permitted(aanzee, form, ends_on=TODAY + datetime.timedelta(days=30))
        running.run_rule(renewal_rule(aanzee, form), today=TODAY)
        link = urlsplit(ProactiveInvitation.objects.get().link)
        page = client.get(f"{link.path}?{link.query}", HTTP_HOST="aanzee.localhost")
        page = (
            client.get(page.url, HTTP_HOST="aanzee.localhost") if page.status_code == 302 else page
        )
        html = page.content.decode()
        assert 'value="Café De Markt"' in html and 'value="24"' in html

    def test_not_when_the_holder_applied_again(self, aanzee):
        form = terrace_form(aanzee)
        permitted(aanzee, form, ends_on=TODAY + datetime.timedelta(days=30))
        DossierFactory(site=aanzee.site, form_page=form, enterprise_number=CAFE)
        assert running.run_rule(renewal_rule(aanzee, form), today=TODAY) == 0

    def test_only_the_permits_of_the_rules_municipality(self, aanzee, bzonder):
        form_a, form_b = terrace_form(aanzee), terrace_form(bzonder)
        permitted(bzonder, form_b, ends_on=TODAY + datetime.timedelta(days=30))
        assert running.run_rule(renewal_rule(aanzee, form_a), today=TODAY) == 0
        assert running.run_rule(renewal_rule(aanzee, form_b), today=TODAY) == 0


class TestReviewAndSending:
    def proposed(self, place):
        form = terrace_form(place)
        permitted(place, form, ends_on=TODAY + datetime.timedelta(days=30))
        running.run_rule(renewal_rule(place, form), today=TODAY)
        return ProactiveInvitation.objects.get(site=place.site)

    def test_nothing_goes_out_without_approval(self, aanzee):
        invitation = self.proposed(aanzee)
        assert not sending.send_invitation(invitation.pk)
        assert not Notification.objects.filter(kind="proactive_invitation").exists()
        invitation.refresh_from_db()
        assert invitation.status == InvitationStatus.PROPOSED

    def test_approval_sends_it_once_through_the_outbox_and_records_who(self, aanzee, mailoutbox):
        invitation = self.proposed(aanzee)
        officer = officer_of(aanzee, "officer-a")
        assert decide(officer, [invitation.pk], approve=True) == 1
        invitation.refresh_from_db()
        assert invitation.status == InvitationStatus.SENT
        assert invitation.channel == InvitationChannel.EMAIL
        assert invitation.decided_by == officer and invitation.decided_at is not None
        notification = Notification.objects.get(kind="proactive_invitation")
        assert notification.subject.startswith("Uw terrasvergunning eindigt op 31")
        assert notification.recipient == invitation.dossier.applicant_email
        assert invitation.link in notification.body
        assert Event.objects.filter(type=EventType.PROACTIVE_INVITATION, public=True).count() == 1
        # Safe twice: a second approval or send changes nothing.
        assert decide(officer, [invitation.pk], approve=True) == 0
        assert not sending.send_invitation(invitation.pk)
        assert Notification.objects.filter(kind="proactive_invitation").count() == 1

    def test_a_holder_who_chose_paper_gets_the_renewal_on_paper_too(self, aanzee):
        from dossiers.correspondence import preferences
        from dossiers.models import PostedLetter

        invitation = self.proposed(aanzee)
        preferences.record_preference(
            channel="paper",
            enterprise_number=invitation.dossier.enterprise_number,
            postal_address="Kerkstraat 3\n9999 Aanzee",
            given_via="Mijn loket",
        )
        assert decide(officer_of(aanzee, "officer-a"), [invitation.pk], approve=True) == 1
        letter = PostedLetter.objects.get(notification__kind="proactive_invitation")
        assert letter.channel == "paper"
        assert letter.recipient.startswith("Kerkstraat 3")

    def test_in_english_for_an_english_dossier(self, aanzee):
        invitation = self.proposed(aanzee)
        invitation.dossier.language = "en"
        invitation.dossier.save()
        decide(officer_of(aanzee, "officer-a"), [invitation.pk], approve=True)
        notification = Notification.objects.get(kind="proactive_invitation")
        assert notification.subject.startswith("Your terrace permit ends on")

    def test_rejected_is_never_sent(self, aanzee):
        invitation = self.proposed(aanzee)
        assert decide(officer_of(aanzee, "a"), [invitation.pk], approve=False) == 1
        assert not sending.send_invitation(invitation.pk)
        assert not sending.send_approved()
        invitation.refresh_from_db()
        assert invitation.status == InvitationStatus.REJECTED

    def test_a_company_with_a_dossier_here_gets_it_by_e_mail(self, register, aanzee, bzonder):
        DossierFactory(site=bzonder.site, enterprise_number=CAFE, applicant_email="b@elders.be")
        ours = DossierFactory(site=aanzee.site, enterprise_number=CAFE)
        running.run_rule(company_rule(aanzee, terrace_form(aanzee)), today=TODAY)
        invitation = ProactiveInvitation.objects.get()
        assert invitation.dossier == ours  # the company's dossier in this municipality
        decide(officer_of(aanzee, "a"), [invitation.pk], approve=True)
        invitation.refresh_from_db()
        assert invitation.channel == InvitationChannel.EMAIL
        notification = Notification.objects.get(kind="proactive_invitation")
        assert notification.recipient == ours.applicant_email
        assert notification.subject == "Een terras voor De Markt?"

    def test_without_a_dossier_the_company_sees_it_in_mijn_loket_only(self, register, aanzee):
        rule = company_rule(aanzee, terrace_form(aanzee))
        running.run_rule(rule, today=TODAY)
        invitation = ProactiveInvitation.objects.get()
        decide(officer_of(aanzee, "a"), [invitation.pk], approve=True)
        invitation.refresh_from_db()
        assert (invitation.status, invitation.channel) == (
            InvitationStatus.SENT,
            InvitationChannel.PORTAL,
        )
        (shown,) = sending.invitations_for_company(CAFE)
        assert shown.subject_text == "Een terras voor De Markt?"


class TestReviewPermissions:
    def test_an_officer_of_a_does_not_see_or_decide_the_invitations_of_b(
        self, client, aanzee, bzonder
    ):
        ours = TestReviewAndSending().proposed(aanzee)
        theirs = TestReviewAndSending().proposed(bzonder)
        officer = officer_of(aanzee, "officer-a")
        assert list(services.visible_invitations(officer)) == [ours]
        assert decide(officer, [theirs.pk], approve=True) == 0
        theirs.refresh_from_db()
        assert theirs.status == InvitationStatus.PROPOSED

        client.force_login(officer)
        page = client.get(reverse("dossiers_proactive_review"))
        assert page.status_code == 200
        html = page.content.decode()
        assert ours.reason in html and theirs.reason not in html
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                reverse("dossiers_proactive_review"),
                {"action": "approve", "invitation": [ours.pk, theirs.pk]},
            )
        assert response.status_code == 302
        ours.refresh_from_db()
        theirs.refresh_from_db()
        assert ours.status == InvitationStatus.SENT
        assert theirs.status == InvitationStatus.PROPOSED

    def test_someone_in_no_team_may_not_review(self, client, aanzee):
        client.force_login(UserFactory(username="nobody", is_staff=True))
        assert client.get(reverse("dossiers_proactive_review")).status_code in (302, 403)

    def test_bulk_reject_and_a_clear_message_without_a_choice(self, client, aanzee):
        invitation = TestReviewAndSending().proposed(aanzee)
        client.force_login(officer_of(aanzee, "officer-a"))
        url = reverse("dossiers_proactive_review")
        page = client.post(url, {"action": "reject"}, follow=True)
        assert "Vink minstens één uitnodiging aan." in page.content.decode()
        client.post(url, {"action": "reject", "invitation": [invitation.pk, "x"]})
        invitation.refresh_from_db()
        assert invitation.status == InvitationStatus.REJECTED


class TestRuleAdmin:
    def test_an_editor_sees_and_writes_only_rules_of_their_municipality(
        self, client, aanzee, bzonder
    ):
        form = terrace_form(aanzee)
        theirs = company_rule(bzonder, terrace_form(bzonder), name="Regel van Bzonder")
        officer = officer_of(aanzee, "officer-a")
        client.force_login(officer)
        index = client.get(reverse("dossiers_proactiverule_modeladmin_index"))
        assert "Regel van Bzonder" not in index.content.decode()
        edit = reverse("dossiers_proactiverule_modeladmin_edit", args=[theirs.pk])
        assert client.get(edit).status_code in (302, 403)
        create = reverse("dossiers_proactiverule_modeladmin_create")
        data = {
            "site": aanzee.site.pk,
            "name": "Nieuwe horeca",
            "kind": RuleKind.COMPANIES,
            "active": "on",
            "nace_codes": "56",
            "days_before_end": 60,
            "form_page": form.pk,
            "subject": "Welkom {bedrijfsnaam}",
            "message": "Dag {naam}",
        }
        page = client.post(create, data)
        assert page.status_code == 200
        assert "De invulcode {naam} bestaat niet" in page.content.decode()
        data["message"] = "Welkom, {bedrijfsnaam}: {link}"
        data["site"] = bzonder.site.pk
        assert client.post(create, data).status_code == 200  # not their municipality
        data["site"] = aanzee.site.pk
        assert client.post(create, data).status_code == 302
        assert ProactiveRule.objects.filter(name="Nieuwe horeca", site=aanzee.site).exists()


class TestDailyTask:
    def test_runs_every_active_rule_per_municipality_and_twice_adds_nothing(
        self, register, aanzee, bzonder
    ):
        form = terrace_form(aanzee)
        company_rule(aanzee, form)
        company_rule(bzonder, terrace_form(bzonder))
        company_rule(aanzee, form, active=False, name="Uit", nace_codes="")
        assert run_proactive_rules.apply().get() == 2
        assert run_proactive_rules.apply().get() == 0
        assert set(ProactiveInvitation.objects.values_list("site_id", flat=True)) == {
            aanzee.site.pk,
            bzonder.site.pk,
        }
        assert not Notification.objects.filter(kind="proactive_invitation").exists()

    def test_is_in_the_beat_schedule(self, settings):
        tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
        assert "dossiers.proactive.tasks.run_proactive_rules" in tasks


class TestMijnLoketAndDemo:
    def test_the_company_page_shows_the_sent_invitations_only(
        self, client, register, home_page, team, aanzee
    ):
        here = SimpleNamespace(
            site=Site.objects.get(is_default_site=True), home=home_page, team=team
        )
        running.run_rule(company_rule(here, terrace_form(here)), today=TODAY)
        running.run_rule(company_rule(aanzee, terrace_form(aanzee), subject="Elders"), today=TODAY)
        sign_in(client, enterprise_number=CAFE)
        url = reverse("portal:company")
        assert "Een terras voor De Markt?" not in client.get(url).content.decode()
        admin = UserFactory(username="root", is_superuser=True)
        decide(admin, ProactiveInvitation.objects.values_list("pk", flat=True), approve=True)
        page = client.get(url).content.decode()
        assert "Een terras voor De Markt?" in page
        assert "Elders" not in page  # another municipality's invitation

    def test_the_demo_has_a_rule_with_two_invitations_to_review(self, demo):
        rule = ProactiveRule.objects.get(name="Startpremie voorstellen aan zaken in het centrum")
        assert set(rule.invitations.values_list("enterprise_number", "status")) == {
            (CAFE, InvitationStatus.PROPOSED),
            (SALON, InvitationStatus.PROPOSED),
        }
