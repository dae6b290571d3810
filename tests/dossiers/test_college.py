"""College decisions: proposals on a meeting's list, the outcome of the whole list
recorded at once (approved, refused, postponed to a later meeting), the decision
letters through the usual decision path, the back office and the PDF agenda."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.utils import timezone

from dossiers import workflow
from dossiers.college import agenda
from dossiers.college import services as college
from dossiers.constants import COLLEGE, EventType, Outcome, Status
from dossiers.exceptions import ActionRefused
from dossiers.models import (
    AttachmentKind,
    CollegeMeeting,
    CollegeOutcome,
    CollegeProposal,
    MeetingStatus,
    Notification,
)
from tests.dossiers.conftest import make_user
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def meeting(db):
    return CollegeMeeting.objects.create(date=TODAY + datetime.timedelta(days=3))


@pytest.fixture
def later(db):
    return CollegeMeeting.objects.create(date=TODAY + datetime.timedelta(days=10))


@pytest.fixture
def secretary(db):
    """The college's secretariat: may change college meetings, is in no team."""
    group = Group.objects.create(name="Secretariaat")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__model="collegemeeting"),
    )
    return make_user("secretary", group)


def college_dossier(team, **fields):
    fields.setdefault("status", Status.IN_REVIEW)
    return DossierFactory(team=team, stages=["college"], **fields)


def propose(dossier, officer, meeting, outcome=Outcome.APPROVED, text="Het terras mag."):
    return college.propose(dossier, officer, meeting=meeting, outcome=outcome, decision=text)


class TestProposing:
    def test_a_proposal_goes_on_the_list_and_the_applicant_is_told(
        self, economy, officer, meeting, django_capture_on_commit_callbacks
    ):
        dossier = college_dossier(economy)

        with django_capture_on_commit_callbacks(execute=True):
            proposal = propose(dossier, officer, meeting)

        dossier.refresh_from_db()
        assert dossier.status == Status.COLLEGE
        assert list(meeting.proposals.all()) == [proposal]
        assert proposal.prepared_by == officer and proposal.decision_text == "Het terras mag."
        event = dossier.events.get(type=EventType.STATUS_CHANGED)
        assert event.data["transition"] == "propose_to_college" and event.public
        [email] = mail.outbox
        assert "Wacht op de beslissing van het college" in email.body

    def test_refused_without_the_college_stage(self, economy, officer, meeting):
        dossier = DossierFactory(team=economy, status=Status.IN_REVIEW, stages=[])
        with pytest.raises(ActionRefused, match="hoort niet bij de procedure"):
            propose(dossier, officer, meeting)
        assert not CollegeProposal.objects.exists()

    @pytest.mark.parametrize("status", [MeetingStatus.RECORDED, "past"])
    def test_only_on_a_planned_meeting(self, economy, officer, meeting, status):
        if status == "past":
            meeting.date = TODAY - datetime.timedelta(days=1)
        else:
            meeting.status = status
        meeting.save()
        dossier = college_dossier(economy)
        with pytest.raises(ActionRefused, match="nog gepland"):
            propose(dossier, officer, meeting)
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW

    def test_an_officer_of_another_team_may_not(self, economy, other_officer, meeting):
        with pytest.raises(ActionRefused):
            propose(college_dossier(economy), other_officer, meeting)
        assert not CollegeProposal.objects.exists()

    def test_the_officer_may_not_decide_alone(self, economy, officer):
        dossier = college_dossier(economy)
        for name in ("approve", "reject"):
            with pytest.raises(workflow.InvalidTransition, match="college beslist"):
                workflow.transition(dossier, name, actor=officer, data={"decision": "Ja."})
        assert [t.name for t in workflow.available_transitions(dossier, actor=officer)] == [
            "request_information",
            "propose_to_college",
            "forward",
        ]

    def test_no_one_records_an_outcome_on_one_dossier_as_an_officer(
        self, economy, officer, meeting
    ):
        dossier = college_dossier(economy)
        propose(dossier, officer, meeting)
        with pytest.raises(workflow.InvalidTransition):
            workflow.transition(dossier, "college_approve", actor=officer, data={"decision": "Ja"})


class TestRecording:
    def test_the_whole_list_at_once(
        self, economy, officer, secretary, meeting, later, django_capture_on_commit_callbacks
    ):
        yes, no, wait = (college_dossier(economy) for _ in range(3))
        propose(yes, officer, meeting, text="U mag het terras plaatsen.")
        propose(no, officer, meeting, Outcome.REJECTED, text="Het terras blokkeert de stoep.")
        propose(wait, officer, meeting)
        proposals = {p.dossier_id: p.pk for p in meeting.proposals.all()}
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            college.record_outcome(
                meeting,
                secretary,
                {
                    proposals[yes.pk]: CollegeOutcome.APPROVED,
                    proposals[no.pk]: CollegeOutcome.REFUSED,
                    proposals[wait.pk]: CollegeOutcome.POSTPONED,
                },
                later_meeting=later,
            )

        for each in (yes, no, wait):
            each.refresh_from_db()
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.RECORDED and meeting.recorded_by == secretary
        assert (yes.status, yes.decision_outcome) == (Status.APPROVED, Outcome.APPROVED)
        assert yes.decision_text == "U mag het terras plaatsen." and yes.decided_by == secretary
        assert (no.status, no.decision_outcome) == (Status.REJECTED, Outcome.REJECTED)
        assert wait.status == Status.COLLEGE and not wait.decision_outcome
        # The postponed proposal is on the later list, waiting for its outcome.
        [moved] = later.proposals.all()
        assert moved.dossier == wait and moved.outcome == ""
        # The letters went the way of every decision: one each, and the e-mails.
        for each in (yes, no):
            assert each.attachments.filter(kind=AttachmentKind.DECISION_LETTER).count() == 1
        assert not wait.attachments.filter(kind=AttachmentKind.DECISION_LETTER).exists()
        assert sorted(m.to[0] for m in mail.outbox) == ["an@cafedemarkt.be"] * 3
        texts = [e.data["transition"] for e in wait.events.filter(type="status_changed")]
        assert texts == ["propose_to_college", "college_postpone"]

    def test_every_proposal_needs_an_outcome(self, economy, officer, secretary, meeting):
        first, second = college_dossier(economy), college_dossier(economy)
        propose(first, officer, meeting)
        propose(second, officer, meeting)
        [one, _two] = meeting.proposals.all()

        with pytest.raises(ActionRefused, match="van elk voorstel"):
            college.record_outcome(meeting, secretary, {one.pk: CollegeOutcome.APPROVED})

        first.refresh_from_db()
        meeting.refresh_from_db()
        assert first.status == Status.COLLEGE and meeting.status == MeetingStatus.PLANNED

    def test_postponing_needs_a_later_meeting(self, economy, officer, secretary, meeting):
        dossier = college_dossier(economy)
        proposal = propose(dossier, officer, meeting)
        with pytest.raises(ActionRefused, match="latere vergadering"):
            college.record_outcome(meeting, secretary, {proposal.pk: CollegeOutcome.POSTPONED})
        with pytest.raises(ActionRefused, match="na deze"):
            college.record_outcome(
                meeting, secretary, {proposal.pk: CollegeOutcome.POSTPONED}, later_meeting=meeting
            )

    def test_not_twice(self, economy, officer, secretary, meeting):
        proposal = propose(college_dossier(economy), officer, meeting)
        college.record_outcome(meeting, secretary, {proposal.pk: CollegeOutcome.APPROVED})
        with pytest.raises(ActionRefused, match="al genoteerd"):
            college.record_outcome(meeting, secretary, {proposal.pk: CollegeOutcome.REFUSED})

    def test_a_proposal_of_another_list_is_refused(
        self, economy, officer, secretary, meeting, later
    ):
        elsewhere = propose(college_dossier(economy), officer, later)
        with pytest.raises(ActionRefused, match="op deze lijst"):
            college.record_outcome(meeting, secretary, {elsewhere.pk: CollegeOutcome.APPROVED})

    def test_a_withdrawn_application_leaves_the_list(self, economy, officer, secretary, meeting):
        dossier = college_dossier(economy)
        propose(dossier, officer, meeting)
        workflow.transition(dossier, "withdraw", actor_kind="applicant")

        assert college.pending(meeting) == []
        college.record_outcome(meeting, secretary, {})
        dossier.refresh_from_db()
        assert dossier.status == Status.WITHDRAWN

    def test_an_officer_without_the_permission_may_not_record(self, economy, officer, meeting):
        proposal = propose(college_dossier(economy), officer, meeting)
        with pytest.raises(ActionRefused, match="mag de uitkomst"):
            college.record_outcome(meeting, officer, {proposal.pk: CollegeOutcome.APPROVED})

    def test_the_college_is_the_actor_kind_and_the_recorder_is_on_the_event(
        self, economy, officer, secretary, meeting
    ):
        dossier = college_dossier(economy)
        proposal = propose(dossier, officer, meeting)
        college.record_outcome(meeting, secretary, {proposal.pk: CollegeOutcome.APPROVED})
        event = dossier.events.filter(type=EventType.STATUS_CHANGED).last()
        assert event.data["transition"] == "college_approve" and event.actor == secretary
        assert COLLEGE in workflow.TRANSITIONS["college_approve"].actors


class TestBackOffice:
    def test_an_officer_proposes_on_the_dossier_page(self, client, economy, officer, meeting):
        dossier = college_dossier(economy)
        client.force_login(officer)
        page = client.get(f"/admin/dossiers/dossier/inspect/{dossier.pk}/").content.decode()
        assert "Op de collegelijst zetten" in page
        assert 'value="propose_to_college"' not in page

        response = client.post(
            f"/admin/dossiers/dossier/college/{dossier.pk}/",
            {
                "college-meeting": meeting.pk,
                "college-outcome": Outcome.APPROVED,
                "college-decision": "Het terras mag.",
                "expected_status": Status.IN_REVIEW,
            },
        )
        assert response.status_code == 302
        dossier.refresh_from_db()
        assert dossier.status == Status.COLLEGE
        assert meeting.proposals.get().dossier == dossier

    def test_the_plain_button_cannot_skip_the_list(self, client, economy, officer):
        dossier = college_dossier(economy)
        client.force_login(officer)
        client.post(
            f"/admin/dossiers/dossier/transition/{dossier.pk}/",
            {"transition": "propose_to_college", "decision": "Ja."},
        )
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW

    def test_the_secretary_records_the_list_on_the_meeting_page(
        self, client, economy, officer, secretary, meeting, django_capture_on_commit_callbacks
    ):
        dossier = college_dossier(economy)
        proposal = propose(dossier, officer, meeting)
        client.force_login(secretary)
        url = f"/admin/dossiers/collegemeeting/inspect/{meeting.pk}/"
        page = client.get(url).content.decode()
        assert dossier.reference in page and f'name="outcome-{proposal.pk}"' in page

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/admin/dossiers/collegemeeting/record/{meeting.pk}/",
                {f"outcome-{proposal.pk}": CollegeOutcome.APPROVED},
            )
        assert response.status_code == 302
        dossier.refresh_from_db()
        assert dossier.status == Status.APPROVED
        agenda_pdf = client.get(f"/admin/dossiers/collegemeeting/agenda/{meeting.pk}/")
        assert agenda_pdf.status_code == 200
        assert b"".join(agenda_pdf.streaming_content).startswith(b"%PDF")

    def test_an_officer_without_the_permission_does_not_see_the_meetings(
        self, client, officer, meeting
    ):
        client.force_login(officer)
        assert client.get("/admin/dossiers/collegemeeting/").status_code in (302, 403)
        response = client.get(f"/admin/dossiers/collegemeeting/agenda/{meeting.pk}/")
        assert response.status_code in (302, 403)


def test_the_agenda_lists_every_proposal(economy, officer, meeting):
    dossier = college_dossier(economy)
    propose(dossier, officer, meeting, text="U mag het terras plaatsen.")

    html = agenda.render_agenda_html(meeting)

    assert dossier.reference in html and "U mag het terras plaatsen." in html
    assert "Goedkeuren" in html or "Goedgekeurd" in html
    assert agenda.agenda_filename(meeting) == f"collegeagenda-{meeting.date.isoformat()}.pdf"


def test_notifications_are_only_the_applicants(economy, officer, meeting):
    propose(college_dossier(economy), officer, meeting)
    assert {n.recipient for n in Notification.objects.all()} == {"an@cafedemarkt.be"}


class TestThePermitOfACollegeDecision:
    PERMIT = {
        "valid_from": TODAY.isoformat(),
        "valid_until": (TODAY + datetime.timedelta(days=60)).isoformat(),
        "place": "Markt 1, voor het café",
        "conditions": "Hou 1,5 meter vrij.",
    }

    def test_a_proposal_to_approve_needs_the_permits_details(self, economy, officer, meeting):
        dossier = DossierFactory(
            team=economy, status=Status.IN_REVIEW, stages=["college", "permit"]
        )
        with pytest.raises(ActionRefused, match="eerste dag"):
            propose(dossier, officer, meeting)
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW and not CollegeProposal.objects.exists()

    def test_the_college_approves_and_the_permit_is_issued(
        self, economy, officer, secretary, meeting
    ):
        dossier = DossierFactory(
            team=economy, status=Status.IN_REVIEW, stages=["college", "permit"]
        )
        proposal = college.propose(
            dossier,
            officer,
            meeting=meeting,
            outcome=Outcome.APPROVED,
            decision="U mag het terras plaatsen.",
            permit=self.PERMIT,
        )

        college.record_outcome(meeting, secretary, {proposal.pk: CollegeOutcome.APPROVED})

        dossier.refresh_from_db()
        assert dossier.status == Status.APPROVED
        assert dossier.permit.place == "Markt 1, voor het café"
        assert dossier.permit.conditions == "Hou 1,5 meter vrij."
