"""Taking a proposal off a college meeting's list before the meeting is closed (issue
#16): with a reason on the timeline, the dossier back in review, ready for a later
meeting."""

import datetime

import pytest
from django.utils import timezone

from dossiers import workflow
from dossiers.college import services as college
from dossiers.constants import EventType, Status
from dossiers.exceptions import ActionRefused
from dossiers.models import CollegeMeeting, CollegeOutcome
from tests.dossiers.test_college import college_dossier, propose

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
REASON = "Het advies van de brandweer ontbreekt nog."


@pytest.fixture
def meeting(db):
    return CollegeMeeting.objects.create(date=TODAY + datetime.timedelta(days=3))


@pytest.fixture
def later(db):
    return CollegeMeeting.objects.create(date=TODAY + datetime.timedelta(days=10))


@pytest.fixture
def on_the_list(economy, officer, meeting):
    dossier = college_dossier(economy)
    propose(dossier, officer, meeting)
    dossier.refresh_from_db()
    return dossier


class TestTakingOff:
    def test_back_in_review_with_the_reason_on_the_timeline(self, on_the_list, officer, meeting):
        proposal = college.take_off_list(on_the_list, officer, reason=REASON)

        on_the_list.refresh_from_db()
        assert on_the_list.status == Status.IN_REVIEW
        assert proposal.removed_at is not None and proposal.removed_by == officer
        assert proposal.removal_reason == REASON
        event = on_the_list.events.filter(type=EventType.STATUS_CHANGED).latest("pk")
        assert event.data["transition"] == "take_off_college_list"
        assert event.data["reason"] == REASON
        assert event.actor == officer
        assert college.pending(meeting) == []

    def test_it_can_go_on_a_later_meeting(self, on_the_list, officer, meeting, later):
        college.take_off_list(on_the_list, officer, reason=REASON)
        propose(on_the_list, officer, later)
        on_the_list.refresh_from_db()
        assert on_the_list.status == Status.COLLEGE
        assert [p.dossier for p in college.pending(later)] == [on_the_list]
        assert college.pending(meeting) == []

    def test_the_rest_of_the_list_is_recorded_without_it(
        self, on_the_list, economy, officer, meeting
    ):
        other = college_dossier(economy)
        kept = propose(other, officer, meeting)
        college.take_off_list(on_the_list, officer, reason=REASON)
        officer.is_superuser = True
        officer.save()
        college.record_outcome(meeting, officer, {kept.pk: CollegeOutcome.APPROVED})
        on_the_list.refresh_from_db()
        assert on_the_list.status == Status.IN_REVIEW
        assert on_the_list.decision_outcome == ""

    def test_a_reason_is_required(self, on_the_list, officer):
        with pytest.raises(ActionRefused, match="Zeg waarom"):
            college.take_off_list(on_the_list, officer, reason="  ")
        on_the_list.refresh_from_db()
        assert on_the_list.status == Status.COLLEGE

    def test_not_after_the_meeting_was_recorded(self, on_the_list, officer, meeting):
        meeting.status = "recorded"
        meeting.save()
        with pytest.raises(ActionRefused, match="al genoteerd"):
            college.take_off_list(on_the_list, officer, reason=REASON)
        on_the_list.refresh_from_db()
        assert on_the_list.status == Status.COLLEGE

    def test_not_for_a_dossier_on_no_list(self, economy, officer):
        dossier = college_dossier(economy)
        with pytest.raises(ActionRefused, match="niet op de lijst"):
            college.take_off_list(dossier, officer, reason=REASON)

    def test_an_officer_of_another_team_may_not(self, on_the_list, other_officer):
        with pytest.raises(ActionRefused):
            college.take_off_list(on_the_list, other_officer, reason=REASON)
        on_the_list.refresh_from_db()
        assert on_the_list.status == Status.COLLEGE

    def test_two_officers_at_once_one_wins(self, on_the_list, officer, colleague):
        stale = Status.COLLEGE
        college.take_off_list(on_the_list, officer, reason=REASON, expected_status=stale)
        with pytest.raises(ActionRefused):
            college.take_off_list(on_the_list, colleague, reason="Ook.", expected_status=stale)
        assert on_the_list.events.filter(data__transition="take_off_college_list").count() == 1

    def test_the_applicant_reads_it(self, on_the_list, officer):
        college.take_off_list(on_the_list, officer, reason=REASON)
        event = on_the_list.events.filter(type=EventType.STATUS_CHANGED).latest("pk")
        assert event.public
        text = workflow.TRANSITIONS["take_off_college_list"].text_for_applicant(event.data)
        assert "later" in str(text)


class TestBackOffice:
    def test_the_form_on_the_dossier_page_takes_it_off(self, client, on_the_list, officer):
        client.force_login(officer)
        url = f"/admin/dossiers/dossier/inspect/{on_the_list.pk}/"
        page = client.get(url).content.decode()
        assert "Van de collegelijst halen" in page
        assert 'value="take_off_college_list"' not in page

        response = client.post(
            f"/admin/dossiers/dossier/college_off/{on_the_list.pk}/",
            {"reason": REASON, "expected_status": Status.COLLEGE},
        )
        assert response.status_code == 302
        on_the_list.refresh_from_db()
        assert on_the_list.status == Status.IN_REVIEW
        page = client.get(url).content.decode()
        assert "van de lijst gehaald" in page and REASON in page
        assert "Op de collegelijst zetten" in page

    def test_without_a_reason_nothing_changes(self, client, on_the_list, officer):
        client.force_login(officer)
        response = client.post(
            f"/admin/dossiers/dossier/college_off/{on_the_list.pk}/",
            {"reason": "", "expected_status": Status.COLLEGE},
            follow=True,
        )
        assert "Zeg waarom" in response.content.decode()
        on_the_list.refresh_from_db()
        assert on_the_list.status == Status.COLLEGE

    def test_the_plain_button_cannot_do_it(self, client, on_the_list, officer):
        client.force_login(officer)
        client.post(
            f"/admin/dossiers/dossier/transition/{on_the_list.pk}/",
            {"transition": "take_off_college_list", "reason": REASON},
        )
        on_the_list.refresh_from_db()
        assert on_the_list.status == Status.COLLEGE

    def test_the_meeting_page_shows_it_taken_off_and_does_not_ask_its_outcome(
        self, client, on_the_list, officer, admin, meeting
    ):
        college.take_off_list(on_the_list, officer, reason=REASON)
        client.force_login(admin)
        html = client.get(f"/admin/dossiers/collegemeeting/inspect/{meeting.pk}/").content.decode()
        assert "van de lijst gehaald" in html and REASON in html
        assert f'name="outcome-{on_the_list.college_proposals.get().pk}"' not in html
