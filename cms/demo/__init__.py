"""The demo municipality "Gemeente Voorbeeld": branding, topics, services with working
forms, a guided finder, teams, users, sample dossiers in every status, a desk for
appointments, its money (finance.py), the register's companies (companies.py), its streets
and addresses (places.py), reports (reports.py), the province's library its terrace form
came from (library.py), and the second municipality (anderzijds.py).

Used by ``manage.py load_demo`` (run by ``make run``) and by the browser tests. Every
function is idempotent: running the demo twice changes nothing. A page that exists
already is only completed (empty fields filled in), never overwritten, so an editor's
changes to the demo survive.

This module is longer than 400 lines because it is the demo's one recipe: the
``ensure_*`` steps of the municipality itself, in the order :func:`load_demo` runs them;
the larger parts live in their own modules (named above).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Page, Site

from dossiers.models import Team
from forms_builder.models import ApplicationFormPage

from ..models import (
    AssistantSynonym,
    ContactPage,
    ContentPage,
    FinderPage,
    HomePage,
    ServicePage,
    SiteBranding,
    TopicPage,
)
from . import content, english, library, statistics
from .anderzijds import ensure_anderzijds
from .appointments import ensure_appointments
from .companies import ensure_demo_companies
from .finance import ensure_finance_demo
from .forms import TERRACE_STEPS, _field  # noqa: F401  (tests build forms from these)
from .payments import ensure_payments
from .places import ensure_demo_addresses
from .proactive import ensure_proactive_rules
from .procedures import ensure_college_sample, ensure_procedures
from .reports import ensure_reports
from .samples import (  # noqa: F401
    DEMO_APPLICANT,
    SAMPLE_DOSSIERS,
    ensure_sample_dossiers,
    ensure_sample_draft,
)
from .users import DEMO_USERS, MUNICIPALITY_USERS, DemoUser  # noqa: F401  (printed by `make run`)

SITE_NAME = content.MUNICIPALITY


# --- pages -----------------------------------------------------------------------------


def _is_empty(value) -> bool:
    return value is None or value == "" or (hasattr(value, "__len__") and len(value) == 0)


def ensure_page(parent: Page, model: type[Page], slug: str, **fields) -> Page:
    """The page ``slug`` of type ``model`` under ``parent``.

    Created with ``fields`` when missing; when it exists, only its empty fields are
    filled in (and a revision published), so that running the demo again changes
    nothing and an editor's text is kept.
    """
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        return parent.add_child(instance=model(slug=slug, **fields))
    fill_empty_fields(page, fields)
    return page


def fill_empty(obj, fields: dict) -> bool:
    """Set the fields of ``obj`` that are empty; True when one was set."""
    changed = False
    for name, value in fields.items():
        if _is_empty(getattr(obj, name)) and not _is_empty(value):
            setattr(obj, name, value)
            changed = True
    return changed


def fill_empty_fields(page: Page, fields: dict) -> None:
    """Fill the page's empty fields and publish the result as a new revision."""
    if fill_empty(page, fields):
        page.save_revision().publish()


def ensure_home_page() -> HomePage:
    """The home page at the root of the default Site, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # The default Site keeps its id (teams serve it, dossiers belong to it): it
        # points at the tree's root while Wagtail's welcome page goes.
        Site.objects.filter(root_page__in=root.get_children()).update(root_page=root)
        for page in root.get_children():
            if page.specific_class is Page:
                page.delete()
        home = root.add_child(
            instance=HomePage(title=content.HOME["title"], slug="home", intro=content.HOME["intro"])
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = SITE_NAME
    site.save()
    return home


def ensure_topics(home: HomePage) -> dict[str, TopicPage]:
    return {
        topic["slug"]: ensure_page(
            home,
            TopicPage,
            topic["slug"],
            title=topic["title"],
            intro=topic["intro"],
            search_description=topic["search_description"],
            **english.TOPICS.get(topic["slug"], {}),
        )
        for topic in content.TOPICS
    }


SERVICE_TEXT_FIELDS = (
    "title",
    "intro",
    "keywords",
    "call_to_action",
    "external_url",
    "what_it_is",
    "audience",
    "conditions",
    "cost",
    "how_to_apply",
    "processing_time",
    "documents",
    "legal_basis",
    "contact",
    "suggest_for_nace",
)


def _faq(items) -> list[dict]:
    return [{"type": "item", "value": {"question": q, "answer": a}} for q, a in items]


def ensure_service(home: HomePage, topics: dict[str, TopicPage], spec: dict) -> ServicePage:
    topic = topics[spec["topic"]]
    fields = {name: spec[name] for name in SERVICE_TEXT_FIELDS if name in spec}
    fields["faq"] = _faq(spec.get("faq", []))
    # Its English texts, when the demo translated it (cms.demo.english).
    english_texts = dict(spec.get("english", {}))
    if "faq_en" in english_texts:
        english_texts["faq_en"] = _faq(english_texts["faq_en"])
    fields.update(english_texts)
    service = ServicePage.objects.filter(slug=spec["slug"]).first()
    if service is not None and service.get_parent().pk == home.pk:
        # Demo databases from before the topics had the terrace service under home.
        service.move(topic, pos="last-child")
        service.refresh_from_db()
    if service is None:
        return topic.add_child(instance=ServicePage(slug=spec["slug"], **fields))
    fill_empty_fields(service, fields)
    return service


def ensure_team(name: str, email: str = "", sites=None) -> Team:
    """A team with its officers' group and its team leads' group (both may use the
    admin; what they may do with dossiers follows from the team, see
    dossiers.permissions), serving ``sites`` (default: the default Site)."""
    admin_access = Permission.objects.filter(codename="access_admin")
    group, _created = Group.objects.get_or_create(name=f"Team {name}")
    group.permissions.add(*admin_access)
    lead_group, _created = Group.objects.get_or_create(name=f"Team {name} – teamleiders")
    lead_group.permissions.add(*admin_access)
    team, _created = Team.objects.get_or_create(
        name=name, defaults={"group": group, "email": email}
    )
    if team.lead_group_id is None:
        team.lead_group = lead_group
        team.save(update_fields=["lead_group"])
    if sites is None:
        sites = Site.objects.filter(is_default_site=True)
    team.sites.add(*sites)
    return team


def ensure_form(service: ServicePage, spec: dict, team: Team) -> ApplicationFormPage:
    """The service's application form, and the service's call to action pointing to it."""
    form = ApplicationFormPage.objects.filter(slug=spec["slug"]).first()
    if form is None:
        form = service.add_child(
            instance=ApplicationFormPage(
                title=spec["title"],
                slug=spec["slug"],
                steps=spec["steps"],
                **{name: spec.get(name, []) for name in ("calculations", "rules", "outcomes")},
                reference_prefix=spec["reference_prefix"],
                team=team,
                decision_term_days=spec["decision_term_days"],
                **spec.get("texts", content.FORM_TEXTS),
            )
        )
    # A demo database from before the English texts gets the form page's own ones.
    fill_empty_fields(form, {k: v for k, v in spec.get("texts", {}).items() if k.endswith("_en")})
    if service.form_page_id != form.pk:
        service.form_page = form
        service.save_revision().publish()
    return form


def ensure_services(
    home: HomePage, topics: dict[str, TopicPage], teams: dict[str, Team]
) -> tuple[dict[str, ServicePage], dict[str, ApplicationFormPage]]:
    services, forms = {}, {}
    for spec in content.SERVICES:
        service = ensure_service(home, topics, spec)
        services[spec["slug"]] = service
        if form_key := spec.get("form"):
            form_spec = content.FORMS[form_key]
            forms[form_key] = ensure_form(service, form_spec, teams[form_spec["team"]])
    # Links between services, once every service exists.
    for spec in content.SERVICES:
        related = [{"type": "service", "value": services[s].pk} for s in spec.get("related", [])]
        fill_empty_fields(services[spec["slug"]], {"related_services": related})
    for topic_spec in content.TOPICS:
        also = [{"type": "service", "value": services[s].pk} for s in topic_spec.get("also", [])]
        fill_empty_fields(topics[topic_spec["slug"]], {"also_services": also})
    return services, forms


def ensure_finder(home: HomePage, services: dict[str, ServicePage]) -> FinderPage:
    spec = content.FINDER
    questions = [
        {
            "type": "question",
            "value": {
                "name": question["name"],
                "question": question["question"],
                "hint": question.get("hint", ""),
                "answers": [
                    {
                        "label": answer["label"],
                        "next_question": answer.get("next", ""),
                        "services": [services[slug].pk for slug in answer.get("services", [])],
                        "advice": answer.get("advice", ""),
                    }
                    for answer in question["answers"]
                ],
            },
        }
        for question in spec["questions"]
    ]
    return ensure_page(
        home,
        FinderPage,
        spec["slug"],
        title=spec["title"],
        intro=spec["intro"],
        search_description=spec["search_description"],
        result_intro=spec["result_intro"],
        questions=questions,
    )


def ensure_desk_pages(home: HomePage, services: dict[str, ServicePage]) -> dict[str, Page]:
    spec = dict(content.CONTACT_PAGE)
    slug = spec.pop("slug")
    pages = {
        "contact": ensure_page(
            home,
            ContactPage,
            slug,
            appointment_page=services["vraag-aan-het-loket"],
            **spec,
        )
    }
    for page_spec in content.CONTENT_PAGES:
        page_spec = dict(page_spec)
        slug = page_spec.pop("slug")
        pages[slug] = ensure_page(home, ContentPage, slug, **page_spec)
    return pages


def ensure_home_content(home: HomePage, services: dict[str, ServicePage]) -> None:
    most_used = [
        "terrasvergunning",
        "evenementenvergunning",
        "reclamevergunning",
        "startpremie-winkel-centrum",
        "inname-openbaar-domein",
        "vraag-aan-het-loket",
    ]
    announcements = [
        {
            "type": "announcement",
            "value": {
                "title": item["title"],
                "date": item["date"],
                "text": item["text"],
                "link": services[item["link"]].pk if item["link"] else None,
            },
        }
        for item in content.HOME["announcements"]
    ]
    fill_empty_fields(
        home,
        {
            "most_used_services": [
                {"type": "service", "value": services[slug].pk} for slug in most_used
            ],
            "announcements": announcements,
            **english.HOME,
        },
    )


def ensure_branding(site: Site, pages: dict[str, Page]) -> SiteBranding:
    branding = SiteBranding.for_site(site)
    fields = dict(content.BRANDING)
    fields.update(
        contact_page=pages["contact"],
        privacy_page=pages["privacy"],
        accessibility_page=pages["toegankelijkheid"],
        footer_links=[
            {"type": "link", "value": {"label": link["label"], "page": None, "url": link["url"]}}
            for link in content.FOOTER_LINKS
        ],
    )
    if fill_empty(branding, fields):
        branding.full_clean()
        branding.save()
    return branding


# --- people ----------------------------------------------------------------------------


#: Snippets the communication staff (Wagtail's Editors group) look after in the demo:
#: the steps several forms share and the texts of the e-mails to applicants.
EDITORS_SNIPPETS = [("forms_builder", "reusablestep"), ("dossiers", "notificationtemplate")]


def ensure_editor_permissions() -> None:
    """Let the Editors group add, change, delete and publish the demo's shared snippets."""
    editors = Group.objects.get(name="Editors")
    for app_label, model in EDITORS_SNIPPETS:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[
                    f"{action}_{model}" for action in ("add", "change", "delete", "publish")
                ],
            )
        )


def ensure_users(team: Team, other_teams: tuple[Team, ...] = ()) -> None:
    """The demo logins. The officer ``behandelaar`` is a member of ``team`` and of
    ``other_teams``, so that every demo form's dossiers reach a demo login."""
    ensure_editor_permissions()
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
            user.groups.add(team.group, *(other.group for other in other_teams))
        if demo_user.username == "teamleider":
            user.groups.add(team.lead_group)


def ensure_synonyms() -> None:
    """The assistant's synonyms of the demo (editors add their own in the admin)."""
    for term, meaning in content.ASSISTANT_SYNONYMS:
        AssistantSynonym.objects.update_or_create(
            term=term, site=None, defaults={"meaning": meaning}
        )


@transaction.atomic
def load_demo(*, second_municipality: bool = False) -> None:
    """The demo municipality; with ``second_municipality`` also Gemeente Anderzijds and
    the regional team (``manage.py load_demo`` does, tests mostly do not)."""
    home = ensure_home_page()
    teams = {name: ensure_team(name, email) for name, email in content.TEAMS.items()}
    topics = ensure_topics(home)
    services, forms = ensure_services(home, topics, teams)
    library.ensure_library(forms["terrace"])
    ensure_finder(home, services)
    pages = ensure_desk_pages(home, services)
    ensure_home_content(home, services)
    ensure_branding(Site.objects.get(is_default_site=True), pages)
    ensure_users(
        teams["Lokale economie"],
        tuple(team for name, team in teams.items() if name != "Lokale economie"),
    )
    ensure_procedures(forms, teams["Lokale economie"])
    ensure_sample_dossiers(forms)
    ensure_college_sample()
    ensure_payments()  # the college's approved terrace waits for its fee
    ensure_sample_draft(forms["event"])
    ensure_synonyms()
    ensure_appointments()
    ensure_finance_demo(forms)
    ensure_demo_companies()
    ensure_proactive_rules(forms)
    ensure_demo_addresses()
    ensure_reports(forms["report"])
    statistics.ensure_sample_statistics(forms)
    if second_municipality:
        terrace = next(spec for spec in content.SERVICES if spec["slug"] == "terrasvergunning")
        ensure_anderzijds(
            ensure_team, {name: terrace[name] for name in SERVICE_TEXT_FIELDS if name in terrace}
        )
