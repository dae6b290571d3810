"""The demo municipality: complete, working, idempotent."""

import pytest
from wagtail.models import Page, Revision

from cms.models import FinderPage, ServicePage, SiteBranding, TopicPage
from dossiers.constants import Status
from dossiers.models import Dossier
from forms_builder.models import ApplicationFormPage

pytestmark = pytest.mark.django_db


def test_running_the_demo_again_changes_nothing(demo):
    from cms.demo import load_demo

    before = (Page.objects.count(), Revision.objects.count(), Dossier.objects.count())
    load_demo()
    assert (Page.objects.count(), Revision.objects.count(), Dossier.objects.count()) == before


def test_there_is_a_dossier_in_every_status(demo):
    # Except "not sent yet: waiting for payment" and "not sent: not paid in time": such
    # an application is nobody's to handle (dossiers.payments.prepayment); the demo has
    # no form paid when submitting.
    sent = set(Status.values) - {Status.AWAITING_PAYMENT, Status.NOT_PAID}
    assert set(Dossier.objects.values_list("status", flat=True)) == sent


def test_the_topics_of_the_issue_exist(demo):
    assert set(TopicPage.objects.live().values_list("title", flat=True)) >= {
        "Starten",
        "Vergunningen",
        "Subsidies en premies",
        "Evenementen",
        "Ondernemen in het centrum",
    }


def test_every_service_reads_complete_and_leads_somewhere(demo):
    services = ServicePage.objects.live()
    assert services.count() >= 8
    for service in services:
        assert service.intro and service.what_it_is and service.how_to_apply, service.title
        assert service.apply_url, f"{service.title} has no call to action"
    with_forms = services.exclude(form_page=None)
    assert with_forms.count() >= 8


def test_every_form_opens_its_first_step(demo, client):
    forms = ApplicationFormPage.objects.live()
    assert forms.count() >= 8
    for form in forms:
        response = client.get(form.url, follow=True)
        assert response.status_code == 200, form.title
        assert b"<form" in response.content, form.title


def test_the_forms_use_many_field_types_conditions_and_uploads(demo):
    types, conditions = set(), 0
    for form in ApplicationFormPage.objects.all():
        for step in form.get_schema()["steps"]:
            conditions += bool(step.get("condition"))
            for field in step["fields"]:
                types.add(field["type"])
                conditions += bool(field.get("condition"))
    assert {"file_upload", "yes_no", "date_range", "address", "iban", "multiple_choice"} <= types
    assert conditions >= 8


def test_the_finder_routes_to_services_without_problems(demo):
    finder = FinderPage.objects.get()
    tree = finder.get_tree()
    assert tree.problems() == []
    recommended = {page.pk for q in tree.questions for a in q.answers for page in a.services}
    assert recommended >= set(
        ServicePage.objects.exclude(form_page=None).values_list("pk", flat=True)
    )


def test_the_site_is_branded(demo):
    branding = SiteBranding.objects.get()
    assert branding.municipality_name == "Gemeente Voorbeeld"
    assert branding.contact_page and branding.privacy_page and branding.accessibility_page


def test_the_demo_has_an_officer_and_a_team_lead_with_their_roles(demo):
    from django.contrib.auth import get_user_model

    from dossiers.models import Dossier
    from dossiers.permissions import roles_on

    dossier = Dossier.objects.filter(team__name="Lokale economie").first()
    users = get_user_model().objects
    assert roles_on(users.get(username="behandelaar"), dossier) == {"officer"}
    assert roles_on(users.get(username="teamleider"), dossier) == {"officer", "lead"}
    assert roles_on(users.get(username="redacteur"), dossier) == set()


def test_every_demo_forms_team_includes_a_demo_login(demo):
    """A new officer who logs in as ``behandelaar`` sees the dossiers of every demo form."""
    from django.contrib.auth import get_user_model

    from cms.demo.users import DEMO_USERS
    from forms_builder.models import ApplicationFormPage

    logins = {demo_user.username for demo_user in DEMO_USERS}
    forms = ApplicationFormPage.objects.exclude(team=None).select_related("team__group")
    assert forms.count() >= 4
    for form in forms:
        members = set(
            get_user_model()
            .objects.filter(groups=form.team.group)
            .values_list("username", flat=True)
        )
        assert members & logins, f"no demo login in the team of {form.title}"


def test_the_demo_editor_looks_after_shared_steps_and_email_texts(demo, client):
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.get(username="redacteur")
    assert editor.has_perm("forms_builder.publish_reusablestep")
    assert editor.has_perm("dossiers.change_notificationtemplate")
    client.force_login(editor)
    assert client.get("/admin/snippets/dossiers/notificationtemplate/").status_code == 200
    assert client.get("/admin/snippets/forms_builder/reusablestep/").status_code == 200


def test_the_demo_desk_takes_three_kinds_of_appointment(demo, client):
    from dossiers.models import AppointmentType, Desk

    [desk] = Desk.objects.all()
    assert desk.opening_hours.exists()
    assert AppointmentType.objects.filter(desk=desk, active=True).count() == 3
    response = client.get("/afspraak/")
    assert response.status_code == 200
    for appointment_type in AppointmentType.objects.all():
        assert appointment_type.name in response.content.decode()
    # The permit talk is taken by the two demo officers, in their own hours.
    talk = AppointmentType.objects.get(slug="uw-vergunning-bespreken")
    assert sorted(talk.officers.values_list("username", flat=True)) == [
        "behandelaar",
        "teamleider",
    ]
    from dossiers.appointments import slots

    assert slots.days_with_slots(talk)
    # The start-up premium's page offers "Maak een afspraak" for two of them.
    service = client.get("/ondernemen-in-het-centrum/startpremie-winkel-centrum/")
    if service.status_code == 404:
        from cms.models import ServicePage

        service = client.get(ServicePage.objects.get(slug="startpremie-winkel-centrum").url)
    html = service.content.decode()
    assert "Afspraak maken" in html
    assert "/afspraak/starten-met-een-zaak/" in html and "/afspraak/premie-aanvragen/" in html


def test_a_street_light_report_goes_to_the_grid_operator(demo):
    from dossiers.models import Report

    form = ApplicationFormPage.objects.get(slug="melding")
    assert "report" in form.stages
    reports = Report.objects.filter(dossier__form_page=form).select_related(
        "dossier", "party", "dossier__team"
    )
    lamp = reports.get(category__name="Lamp brandt niet")
    assert (lamp.dossier.status, lamp.party.name) == (
        Status.FORWARDED_EXTERNAL,
        "Fluvius (netbeheerder)",
    )
    litter = reports.filter(category__name="Zwerfvuil en sluikstort").first()
    assert (litter.dossier.team.name, litter.party) == ("Openbaar domein", None)


def test_the_terrace_permit_is_paid_online_through_the_test_provider(demo, client, settings):
    from dossiers.constants import PaymentStatus
    from dossiers.models import Event

    settings.LOKET_PAYMENT_PROVIDER = "test"
    dossier = Dossier.objects.get(company_name="IJssalon Venezia", status=Status.APPROVED)
    payment_request = dossier.payment_requests.get()
    assert payment_request.status == PaymentStatus.OPEN
    assert payment_request.amount == dossier.amount_due
    assert "payment" in dossier.stages
    assert "Nu online betalen" in client.get(dossier.get_status_url()).content.decode()

    start = client.post(dossier.get_status_url() + "online-betalen/")
    back = client.post(start.url, {"action": "pay"})
    page = client.get(back.url, follow=True)

    payment_request.refresh_from_db()
    assert payment_request.status == PaymentStatus.PAID
    assert 'data-payment-state="paid"' in page.content.decode()
    assert Event.objects.filter(dossier=dossier, data__transition="issue_permit").exists()


def test_load_demo_prints_the_logins_last_without_info_lines(db, capsys):
    """`make run` runs this command: the logins are what people need from it, so the
    hundreds of INFO lines of the sample dossiers' tasks stay out."""
    import logging

    from django.core.management import call_command

    from cms.demo import DEMO_USERS, MUNICIPALITY_USERS

    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect(level=logging.INFO)
    logging.getLogger().addHandler(handler)
    try:
        call_command("load_demo")
    finally:
        logging.getLogger().removeHandler(handler)
    assert not [record for record in records if record.levelno == logging.INFO]
    out = capsys.readouterr().out.splitlines()
    # The logins come last: the demo municipality's, then the second municipality's,
    # then the line about Mijn loket.
    start = next(n for n, line in enumerate(out) if "Demo logins" in line)
    logins = len(DEMO_USERS)
    usernames = [line.split()[0] for line in out[start + 1 : start + 1 + logins]]
    assert usernames == [u.username for u in DEMO_USERS]
    second = len(MUNICIPALITY_USERS)
    assert [line.split()[0] for line in out[-second - 1 : -1]] == [
        u.username for u in MUNICIPALITY_USERS
    ]
    assert "Mijn loket" in out[-1]
    # Logging works again afterwards.
    assert logging.getLogger("loket").isEnabledFor(logging.INFO)


def test_tasks_without_a_broker_take_no_connection_kombu_warns_about(caplog):
    """`make run` has no broker: tasks run eagerly, but Celery still takes a producer
    from its pool, and a connection without a host made kombu warn "No hostname was
    supplied" while the demo loaded."""
    import logging

    from cms.celery import app

    connection = app.connection_for_write()
    with caplog.at_level(logging.WARNING, logger="kombu.connection"):
        connection.clone()
    assert not caplog.records, [record.getMessage() for record in caplog.records]
    assert app.conf.task_always_eager or app.conf.broker_url


def test_every_demo_form_has_twelve_weeks_of_statistics(demo, client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from forms_builder.models import StepCount
    from forms_builder.statistics.figures import Period, form_statistics

    terrace = ApplicationFormPage.objects.get(reference_prefix="TER")
    figures = form_statistics(terrace, Period.default())
    assert figures.started > 50 and 0 < figures.submitted < figures.started
    assert figures.median_minutes_to_complete
    assert sum(step.left for step in figures.drop_off) == figures.started - figures.submitted
    assert all(started for _monday, started, _sent, _dossiers in figures.weeks[:-1])
    # Every live form: the library's template (a draft on the province's site) is no
    # municipality's form and has no applicants.
    for form in ApplicationFormPage.objects.live():
        assert StepCount.objects.filter(page=form).exists(), form.title

    counted = StepCount.objects.count()
    from cms.demo import load_demo

    load_demo()
    assert StepCount.objects.count() == counted, "running the demo again adds nothing"

    client.force_login(get_user_model().objects.get(username="redacteur"))
    page = client.get(reverse("forms_builder_statistics", args=[terrace.pk]))
    assert page.status_code == 200
