"""An officer invites the applicant of a dossier to book a time with them: only that
officer's free times, no details typed again, the link works once and expires, and the
appointment shows on the dossier and on the status page."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from dossiers import services as dossier_services
from dossiers.appointments import invitations
from dossiers.constants import EventType
from dossiers.exceptions import ActionRefused
from dossiers.models import (
    Appointment,
    AppointmentInvitation,
    Event,
    Notification,
    OfficerAvailability,
)
from tests.factories import terrace_answers

from .builders import make_desk, make_type

pytestmark = pytest.mark.django_db

LINK_RE = re.compile(r"https?://\S+(/afspraak/uitnodiging/\S+/)")


@pytest.fixture
def dossier(form_page, economy):
    schema = form_page.get_schema()
    dossier = dossier_services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    dossier.team = economy
    dossier.save()
    return dossier


def available(user):
    for weekday in range(7):
        OfficerAvailability.objects.create(
            officer=user, weekday=weekday, starts=dt.time(0, 0), ends=dt.time(23, 30)
        )


@pytest.fixture
def talk(officer, colleague):
    desk = make_desk(hours=((0, 0), (23, 30)), days=range(7), closed_on_public_holidays=False)
    talk = make_type(desk, name="Uw vergunning bespreken", slug="bespreken", min_notice_hours=1)
    available(officer)
    available(colleague)
    talk.officers.set([officer, colleague])
    return talk


def invitation_path(django_capture_on_commit_callbacks, *args, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitations.invite(*args, **kwargs)
    notification = Notification.objects.get(kind="appointment_invitation")
    [path] = LINK_RE.findall(notification.body)
    return invitation, path, notification


def choices(response, name):
    return re.findall(rf'name="{name}" value="([^"]+)"', response.content.decode())


def test_the_applicant_books_a_time_with_the_inviting_officer(
    client, dossier, officer, colleague, talk, django_capture_on_commit_callbacks, mailoutbox
):
    invitation, path, notification = invitation_path(
        django_capture_on_commit_callbacks, dossier, officer, talk, "Neem uw plan mee."
    )
    assert notification.recipient == dossier.applicant_email
    assert "Neem uw plan mee." in notification.body
    assert invitation.key_hash and invitation.key_hash not in path
    # The colleague is booked at the first time: only the inviting officer counts.
    first_day = invitations.planner(invitation).days_with_slots()[0]
    first = invitations.planner(invitation).slots_on(first_day)[0]

    day_page = client.get(path)
    assert day_page.status_code == 200 and "no-store" in day_page["Cache-Control"]
    response = client.get(path, {"day": choices(day_page, "day")[0], "next": "1"})
    time_page = client.get(response.url)
    response = client.get(response.url, {"time": choices(time_page, "time")[0], "next": "1"})
    confirm = client.get(response.url)
    assert dossier.reference in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response.url, {"question": "Over de parasols"})

    appointment = Appointment.objects.get()
    assert done.url == appointment.get_manage_url()
    assert appointment.officer == officer and appointment.dossier == dossier
    assert appointment.starts_at == first.start
    assert appointment.email == dossier.applicant_email
    assert appointment.question == "Over de parasols"
    assert Event.objects.filter(dossier=dossier, type=EventType.APPOINTMENT_BOOKED).exists()
    # The link now leads to the appointment; it does not book twice.
    assert client.get(path).url == appointment.get_manage_url()
    with pytest.raises(ActionRefused):
        invitations.accept(invitation, first.start + dt.timedelta(hours=2))
    # The status page shows it.
    status = client.get(dossier.get_status_url()).content.decode()
    assert "Uw vergunning bespreken" in status and appointment.get_manage_url() in status


def test_the_invitation_offers_only_the_officers_free_times(
    dossier, officer, colleague, talk, django_capture_on_commit_callbacks
):
    invitation, _path, _n = invitation_path(
        django_capture_on_commit_callbacks, dossier, officer, talk
    )
    planner = invitations.planner(invitation)
    day = planner.days_with_slots()[0]
    first = planner.slots_on(day)[0]
    # Someone books the officer's first time through the public pages.
    from dossiers.appointments import services

    services.book_appointment(
        appointment_type=talk, start=first.start, name="X", email="x@example.be", officer=officer
    )

    again = invitations.planner(invitation).slots_on(day)
    assert first.start not in [slot.start for slot in again]
    assert all(slot.officers == (officer.pk,) for slot in again)


def test_an_officer_who_does_not_take_the_kind_cannot_invite(dossier, lead, talk):
    with pytest.raises(ActionRefused):
        invitations.invite(dossier, lead, talk)
    assert not AppointmentInvitation.objects.exists()


def test_an_expired_or_wrong_link_is_refused_in_dutch(
    client, dossier, officer, talk, django_capture_on_commit_callbacks
):
    invitation, path, _n = invitation_path(
        django_capture_on_commit_callbacks, dossier, officer, talk
    )

    wrong = client.get(path[:-3] + "xx/")
    assert wrong.status_code == 404 and "Deze link klopt niet" in wrong.content.decode()

    AppointmentInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    expired = client.get(path)
    assert expired.status_code == 404
    assert "Deze uitnodiging is verlopen" in expired.content.decode()


def test_the_officer_invites_from_the_dossier_view(client, dossier, officer, talk, other_officer):
    client.force_login(officer)
    inspect = client.get(f"/admin/dossiers/dossier/inspect/{dossier.pk}/").content.decode()
    assert "Nodig de aanvrager uit" in inspect

    response = client.post(
        f"/admin/dossiers/dossier/invitation/{dossier.pk}/",
        {"appointment_type": talk.pk, "message": "Tot dan"},
        follow=True,
    )

    assert AppointmentInvitation.objects.get().officer == officer
    assert "De aanvrager krijgt een e-mail" in response.content.decode()
    # An officer of another team cannot.
    client.force_login(other_officer)
    assert client.post(
        f"/admin/dossiers/dossier/invitation/{dossier.pk}/", {"appointment_type": talk.pk}
    ).status_code in (302, 403, 404)
    assert AppointmentInvitation.objects.count() == 1


def test_marking_the_appointment_puts_a_note_on_the_dossier(
    dossier, officer, talk, django_capture_on_commit_callbacks
):
    from dossiers.appointments import services
    from dossiers.models import AppointmentStatus

    invitation, _path, _n = invitation_path(
        django_capture_on_commit_callbacks, dossier, officer, talk
    )
    first = invitations.planner(invitation).slots_on(
        invitations.planner(invitation).days_with_slots()[0]
    )[0]
    appointment = invitations.accept(invitation, first.start)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1)
    )

    services.mark_outcome(
        appointment, status=AppointmentStatus.DONE, user=officer, note="Plan besproken."
    )

    note = Event.objects.filter(dossier=dossier, type=EventType.NOTE_ADDED).get()
    assert "Uw vergunning bespreken" in note.data["text"]
    assert "heeft plaatsgevonden" in note.data["text"]
    assert note.data["text"].endswith("Plan besproken.") and not note.public
