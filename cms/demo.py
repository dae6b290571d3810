"""The demo municipality "Gemeente Voorbeeld": pages, a form, teams, users, dossiers.

Used by ``manage.py load_demo`` (run by ``make run``) and by the browser tests.
Every function is idempotent: running the demo twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Page, Site

from dossiers import services as dossier_services
from dossiers import workflow
from dossiers.models import Team
from forms_builder.models import ApplicationFormPage

from .models import HomePage, ServicePage

SITE_NAME = "Gemeente Voorbeeld"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str


#: Demo-only accounts; printed by `make run` and listed in README.md.
DEMO_USERS = [
    DemoUser("admin", "loket-admin", "beheerder (alles)"),
    DemoUser("redacteur", "loket-redacteur", "redacteur (pagina's en formulieren)"),
    DemoUser("behandelaar", "loket-behandelaar", "behandelaar, team Lokale economie"),
]


def _field(
    type_id: str, label: str, name: str, *, required=True, maps_to="", help_text="", **options
) -> dict:
    return {
        "type": type_id,
        "value": {
            "label": label,
            "name": name,
            "help_text": help_text,
            "required": required,
            "maps_to": maps_to,
            **options,
        },
    }


TERRACE_STEPS = [
    {
        "type": "step",
        "value": {
            "title": "Uw onderneming",
            "intro": "<p>Wie vraagt de vergunning aan?</p>",
            "fields": [
                _field(
                    "short_text",
                    "Naam van de onderneming",
                    "bedrijfsnaam",
                    maps_to="company_name",
                    max_length=200,
                ),
                _field("short_text", "Uw naam", "naam", maps_to="applicant_name", max_length=200),
                _field(
                    "email",
                    "Uw e-mailadres",
                    "email",
                    maps_to="applicant_email",
                    help_text="We sturen de bevestiging en elke wijziging naar dit adres.",
                ),
            ],
        },
    },
    {
        "type": "step",
        "value": {
            "title": "Uw terras",
            "intro": "",
            "fields": [
                _field("short_text", "Adres van de zaak", "adres", max_length=255),
                _field(
                    "integer",
                    "Oppervlakte van het terras (m²)",
                    "oppervlakte",
                    min_value=1,
                    max_value=500,
                ),
                _field("date", "Vanaf wanneer wilt u het terras plaatsen?", "startdatum"),
                _field(
                    "single_choice",
                    "Soort terras",
                    "soort",
                    choices=["Open terras", "Terras met windschermen", "Overdekt terras"],
                    widget="radio",
                ),
                _field("long_text", "Opmerkingen", "opmerkingen", required=False, max_length=2000),
            ],
        },
    },
]


def ensure_home_page() -> HomePage:
    """The home page at the root of the default Site, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        for page in root.get_children():
            if page.specific_class is Page:
                page.delete()
        home = root.add_child(
            instance=HomePage(
                title="Ondernemersloket",
                slug="home",
                intro="<p>Alles voor ondernemers in Gemeente Voorbeeld: vergunningen, "
                "subsidies en vragen aan het loket, online.</p>",
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = SITE_NAME
    site.save()
    return home


def ensure_team(name: str, email: str = "") -> Team:
    group, _created = Group.objects.get_or_create(name=f"Team {name}")
    codenames = ["access_admin", "view_dossier", "change_dossier"]
    group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    team, _created = Team.objects.get_or_create(
        name=name, defaults={"group": group, "email": email}
    )
    return team


def ensure_terrace_service(home: HomePage, team: Team) -> tuple[ServicePage, ApplicationFormPage]:
    service = ServicePage.objects.filter(slug="terrasvergunning").first()
    if service is None:
        service = home.add_child(
            instance=ServicePage(
                title="Terrasvergunning aanvragen",
                slug="terrasvergunning",
                intro="Wilt u een terras plaatsen op het openbaar domein (stoep, plein)? "
                "Dan hebt u een vergunning nodig.",
                body="<h2>Voor wie?</h2><p>Voor horecazaken in de gemeente.</p>"
                "<h2>Hoe lang duurt het?</h2><p>We beslissen binnen 30 dagen.</p>",
                call_to_action="Terrasvergunning aanvragen",
            )
        )
    form = ApplicationFormPage.objects.filter(slug="aanvraag-terras").first()
    if form is None:
        form = service.add_child(
            instance=ApplicationFormPage(
                title="Aanvraag terrasvergunning",
                slug="aanvraag-terras",
                intro="<p>Dit duurt ongeveer 5 minuten.</p>",
                steps=TERRACE_STEPS,
                reference_prefix="TER",
                team=team,
                decision_term_days=30,
                confirmation_text="<p>Bedankt. We bekijken uw aanvraag en laten u iets weten.</p>",
            )
        )
    if service.form_page_id != form.pk:
        service.form_page = form
        service.save_revision().publish()
    return service, form


def ensure_users(team: Team) -> None:
    User = get_user_model()
    for demo_user in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo_user.username,
            defaults={
                "email": f"{demo_user.username}@voorbeeld.be",
                "first_name": demo_user.username.capitalize(),
            },
        )
        if created:
            user.set_password(demo_user.password)
        if demo_user.username == "admin":
            user.is_staff = user.is_superuser = True
        user.save()
        if demo_user.username == "redacteur":
            user.groups.add(Group.objects.get(name="Editors"))
        if demo_user.username == "behandelaar":
            user.groups.add(team.group)


SAMPLE_DOSSIERS = [
    # (company, name, e-mail, transitions to make)
    ("Café De Markt", "An Peeters", "an@cafedemarkt.be", []),
    ("Bistro Het Hoekje", "Jan Janssens", "jan@hethoekje.be", ["start_review"]),
    (
        "IJssalon Venezia",
        "Marco Rossi",
        "marco@venezia.be",
        [("start_review", {}), ("approve", {"decision": "Vergunning verleend voor 2026."})],
    ),
]


def ensure_sample_dossiers(form: ApplicationFormPage) -> None:
    if form.dossiers.exists():
        return
    schema = form.get_schema()
    step1, step2 = (step["id"] for step in schema["steps"])
    for company, name, email, steps in SAMPLE_DOSSIERS:
        dossier = dossier_services.submit_application(
            form_page=form,
            schema=schema,
            answers={
                step1: {"bedrijfsnaam": company, "naam": name, "email": email},
                step2: {
                    "adres": "Markt 1, 9999 Voorbeeld",
                    "oppervlakte": 24,
                    "startdatum": "2026-04-01",
                    "soort": "Open terras",
                    "opmerkingen": "",
                },
            },
        )
        for step in steps:
            transition_name, data = step if isinstance(step, tuple) else (step, {})
            dossier = workflow.transition(dossier, transition_name, data=data)


@transaction.atomic
def load_demo() -> None:
    home = ensure_home_page()
    team = ensure_team("Lokale economie", "economie@voorbeeld.be")
    _service, form = ensure_terrace_service(home, team)
    ensure_users(team)
    ensure_sample_dossiers(form)
