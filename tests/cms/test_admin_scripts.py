"""The Wagtail admin without inline scripts (cms/admin_scripts.py, admin-init.js).

The browser tests (tests/e2e) use these widgets under the real policy and fail on any
violation; here the HTML the admin sends is checked for inline scripts.
"""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput, AdminPageChooser
from wagtail.admin.widgets.workflows import AdminTaskChooser

from cms.admin_scripts import as_init_data
from tests.conftest import make_form_page
from tests.core.test_security_headers import directives, inline_code

from .builders import make_service

DATA = re.compile(r'<script type="application/json" data-loket-init>(.*?)</script>', re.S)


def calls(html: str) -> list[dict]:
    return [json.loads(text) for text in DATA.findall(html)]


def inline_scripts(html: str) -> list[str]:
    return [found for found in inline_code(html) if "inline <script>" in found]


class TestInitialisersAsData:
    def test_a_constructor_with_json_arguments(self):
        html = as_init_data('new PageChooser("id_page", {"modalUrl": "/admin/x/"});')
        args = ["id_page", {"modalUrl": "/admin/x/"}]
        assert calls(html) == [{"call": "PageChooser", "construct": True, "args": args}]

    def test_a_function_and_a_dotted_name(self):
        assert calls(as_init_data('createTaskChooser("id_task");')) == [
            {"call": "createTaskChooser", "construct": False, "args": ["id_task"]}
        ]
        assert calls(as_init_data("new wagtail.widgets.Thing(1, null)"))[0]["call"] == (
            "wagtail.widgets.Thing"
        )

    def test_anything_else_is_left_alone(self):
        assert as_init_data("alert(document.cookie); steal()") is None
        assert as_init_data("(function() { var x = 1; })();") is None
        assert as_init_data("init(someVariable);") is None

    def test_the_data_can_never_close_its_script_element(self):
        html = as_init_data('init("</script><script>alert(1)</script>");')
        assert "</script><script>" not in html
        assert calls(html)[0]["args"] == ["</script><script>alert(1)</script>"]


@pytest.mark.django_db
class TestWidgets:
    @pytest.mark.parametrize(
        ("widget", "call"),
        [
            (AdminDateInput(), "initDateChooser"),
            (AdminDateTimeInput(), "initDateTimeChooser"),
            (AdminPageChooser(), "PageChooser"),
            (AdminTaskChooser(), "createTaskChooser"),
        ],
    )
    def test_render_data_instead_of_an_inline_script(self, widget, call):
        html = widget.render("field", None, attrs={"id": "id_field"})
        assert not inline_scripts(html), html
        [data] = calls(html)
        assert data["call"] == call and data["args"][0] == "id_field"

    def test_the_inline_panel_template_starts_its_panel_from_data(self):
        html = Template(
            '{% load cms_tags %}{% admin_init "InlinePanel" options|from_json construct=True %}'
        ).render(Context({"options": '{"formsetPrefix": "id_links"}'}))
        assert calls(html) == [
            {"call": "InlinePanel", "construct": True, "args": [{"formsetPrefix": "id_links"}]}
        ]


@pytest.mark.django_db
def test_the_page_editor_has_no_inline_scripts_and_a_strict_script_policy(client, home_page, team):
    form = make_form_page(home_page)
    service = make_service(home_page, form_page=form)
    client.force_login(get_user_model().objects.create_superuser("beheer", "b@example.org", "x"))

    for url in (
        f"/admin/pages/{service.pk}/edit/",
        f"/admin/pages/{form.pk}/edit/",
        "/admin/pages/search/?q=terras",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not inline_scripts(html), url
        assert directives(response)["script-src"] == ["'self'"]
        assert "/static/cms/js/admin-init.js" in html
    # The editor's page chooser and the publication dates are among them.
    editor = client.get(f"/admin/pages/{service.pk}/edit/").content.decode()
    names = {data["call"] for data in calls(editor)}
    assert {"PageChooser", "initDateTimeChooser"} <= names, names


SKIP = ("logout", "test404", "failwhale", "jsi18n", "qr-code", "tag-autocomplete", "block-preview")


def admin_urls_without_arguments() -> list[str]:
    """Every admin address that takes no argument (lists, add forms, choosers, reports)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route:
                found.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return sorted(
        {url for url in found if url.startswith("/admin/") and not any(s in url for s in SKIP)}
    )


def html_of(response) -> str:
    """The HTML of an admin response; a modal's JSON carries it under "html"."""
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content).get("html", "") or ""
    return response.content.decode()


@pytest.mark.django_db
def test_no_admin_screen_of_the_demo_has_an_inline_script(demo, client):
    """Every admin list, form, chooser modal and report, the edit view of every page type
    and snippet, the dossier screens and the settings: nothing for the policy to block."""
    from wagtail.models import Page
    from wagtail.snippets.models import get_snippet_models

    from dossiers.models import Dossier

    client.force_login(get_user_model().objects.filter(is_superuser=True).first())
    urls = admin_urls_without_arguments()
    seen_types = set()
    for page in Page.objects.filter(depth__gt=1).specific():
        if type(page) not in seen_types:
            seen_types.add(type(page))
            urls.append(f"/admin/pages/{page.pk}/edit/")
    for model in get_snippet_models():
        first = model.objects.first()
        if first is not None:
            meta = model._meta
            urls.append(f"/admin/snippets/{meta.app_label}/{meta.model_name}/edit/{first.pk}/")
    dossier = Dossier.objects.first()
    urls += [
        f"/admin/dossiers/dossier/inspect/{dossier.pk}/",
        "/admin/settings/cms/sitebranding/1/",
        f"/admin/users/edit/{get_user_model().objects.first().pk}/",
    ]
    assert len(urls) > 60

    problems, checked = [], 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith(
            ("text/html", "application/json")
        ):
            continue
        checked += 1
        problems += [f"{url}: {what}" for what in inline_scripts(html_of(response))]
    assert not problems, "\n".join(problems)
    assert checked > 60, checked
