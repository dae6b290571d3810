"""The demo's second municipality, Gemeente Anderzijds (anderzijds.localhost), which
hands its terrace applications to a regional team (docs/gemeenten.md).

Its own editor and officer see only Anderzijds; the regional desk's officer sees the
regional team's dossiers of both municipalities; the officers of Gemeente Voorbeeld
see none of Anderzijds.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Site

from cms.models import ServicePage
from cms.municipalities import add_municipality, grant_snippet_rights
from dossiers.models import PaymentSettings, Team
from forms_builder.models import ApplicationFormPage

from . import content
from .samples import _terrace_answers, submit_sample
from .users import MUNICIPALITY_USERS

NAME = "Gemeente Anderzijds"
HOSTNAME = "anderzijds.localhost"
REGIONAL_TEAM = "Regionaal loket lokale economie"


def ensure_anderzijds(ensure_team, service_fields: dict) -> Site:
    """The second municipality with its pages, form, regional team, users and two
    dossiers; safe to run again. ``ensure_team`` makes a team (cms.demo.ensure_team);
    ``service_fields``: the texts of its terrace service page."""
    site = Site.objects.filter(hostname=HOSTNAME).first()
    if site is None:
        made = add_municipality(
            name=NAME,
            hostname=HOSTNAME,
            reference_code="AND",
            sender_email="loket@anderzijds.be",
            creditor_name=NAME,
            iban="BE43068999999501",
        )
        site, home, team = made.site, made.home, made.team
    else:
        home = site.root_page.specific
        team = Team.objects.get(name=NAME)
        # A demo made before the editors kept their own texts and categories.
        editors = Group.objects.filter(name=f"Redacteurs {NAME}").first()
        if editors is not None:
            grant_snippet_rights(editors)
    default = Site.objects.get(is_default_site=True)
    regional = ensure_team(REGIONAL_TEAM, "regio@provincie.be", sites=[default, site])
    _ensure_bank(site)
    form = _ensure_terrace_form(home, regional, service_fields)
    if not form.dossiers.exists():
        for company, person, email in (
            ("Brasserie Anders", "Ilse Anders", "ilse@brasserieanders.be"),
            ("Café Overkant", "Omar Overkant", "omar@cafeoverkant.be"),
        ):
            answers = _terrace_answers(company, person, email)
            answers["adres"] = "Dorpsplein 3, 9998 Anderzijds"
            submit_sample(form, answers, [])
    _ensure_users(team, regional)
    return site


def _ensure_bank(site: Site) -> None:
    account = PaymentSettings.for_site(site)
    if not account.bic:
        account.bic = "GKCCBEBB"
        account.save()


def _ensure_terrace_form(home, regional: Team, service_fields: dict) -> ApplicationFormPage:
    service = ServicePage.objects.descendant_of(home).filter(slug="terrasvergunning").first()
    if service is None:
        fields = {**service_fields, "intro": "Een terras op het openbaar domein in Anderzijds."}
        service = home.add_child(instance=ServicePage(slug="terrasvergunning", **fields))
    form = ApplicationFormPage.objects.descendant_of(home).filter(slug="aanvraag-terras").first()
    if form is None:
        spec = content.FORMS["terrace"]
        form = service.add_child(
            instance=ApplicationFormPage(
                title=spec["title"],
                slug=spec["slug"],
                steps=spec["steps"],
                calculations=spec["calculations"],
                # Every form numbers its own dossiers (AND-TRA-2026-00001).
                reference_prefix="TRA",
                # Anderzijds hands its terrace applications to the regional desk.
                team=regional,
                decision_term_days=spec["decision_term_days"],
                **spec["texts"],
            )
        )
    if service.form_page_id != form.pk:
        service.form_page = form
        service.save_revision().publish()
    return form


def _ensure_users(team: Team, regional: Team) -> None:
    User = get_user_model()
    groups = {
        "redacteur-anderzijds": [f"Redacteurs {NAME}"],
        "behandelaar-anderzijds": [team.group.name],
        "regio": [regional.group.name],
    }
    for demo_user in MUNICIPALITY_USERS:
        user, created = User.objects.get_or_create(
            username=demo_user.username,
            defaults={
                "email": f"{demo_user.username}@voorbeeld.be",
                "first_name": demo_user.username.split("-")[0].capitalize(),
            },
        )
        if created:
            user.set_password(demo_user.password)
            user.save()
        user.groups.add(*Group.objects.filter(name__in=groups[demo_user.username]))
