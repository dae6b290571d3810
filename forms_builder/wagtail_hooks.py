"""Wagtail admin hooks of the form builder."""

from urllib.parse import urlencode

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html, json_script
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from . import admin_views
from .admin_views import ReusableStepViewSet, UploadFileTypeViewSet
from .library import ReusableStep
from .models import ApplicationFormPage
from .statistics import views as statistics_views


@hooks.register("insert_editor_js")
def condition_editor_js() -> str:
    """Lets editors pick a condition's question from a list of the earlier questions.

    The questions of the form's own steps are read from the editor's inputs; those of
    the reusable steps it includes come with the page, as JSON (published versions, as
    forms use them). A rule's value is picked from the chosen question's options; the
    words the script shows come translated, as JSON too.
    """
    words = {
        "yes": _("Yes"),
        "no": _("No"),
        "choose": _("Choose an option"),
        "stale": _("not one of the options"),
    }
    return (
        json_script(reusable_step_questions(), "loket-reusable-step-questions")
        + json_script({key: str(text) for key, text in words.items()}, "loket-condition-texts")
        + format_html(
            '<script src="{}" defer></script>', static("forms_builder/js/condition-editor.js")
        )
    )


def reusable_step_questions() -> dict[str, dict]:
    """``{snippet id: {"title": step title, "questions": [{"label", "name", "type",
    "choices"}]}}`` of every published reusable step: what the condition editor offers
    for an included step (``choices``: a choice question's options)."""
    found = {}
    for snippet in ReusableStep.objects.filter(live=True).order_by("pk"):
        step = snippet.get_raw_step() or {}
        questions = [
            {
                "label": field.get("value", {}).get("label", ""),
                "name": name,
                "type": field.get("type", ""),
                "choices": [
                    str(choice.get("value", "") if isinstance(choice, dict) else choice)
                    for choice in field["value"].get("choices") or []
                ],
            }
            for field in step.get("fields", [])
            if (name := field.get("value", {}).get("name"))
        ]
        title = step.get("title") or snippet.title
        found[str(snippet.pk)] = {"title": title, "questions": questions}
    return found


# --- the form library: reusable steps, export and import ---------------------------------

register_snippet(ReusableStepViewSet)
register_snippet(UploadFileTypeViewSet)


@hooks.register("register_admin_urls")
def form_transfer_urls():
    return [
        path(
            "forms/<int:page_id>/export/",
            admin_views.export_form_view,
            name="forms_builder_export",
        ),
        path("forms/import/", admin_views.ImportFormView.as_view(), name="forms_builder_import"),
    ]


@hooks.register("register_settings_menu_item")
def import_form_menu_item():
    return admin_views.ImportFormMenuItem(
        _("Import a form"), reverse("forms_builder_import"), icon_name="upload", order=900
    )


def _transfer_buttons(page, user, priority: int):
    if issubclass(page.specific_class or Page, ApplicationFormPage):
        if admin_views.can_export(user, page):
            yield Button(
                _("Export as file"),
                reverse("forms_builder_export", args=[page.pk]),
                icon_name="download",
                priority=priority,
            )
    elif admin_views.can_import_under(user, page):
        yield Button(
            _("Import a form here"),
            reverse("forms_builder_import") + "?" + urlencode({"parent": page.pk}),
            icon_name="upload",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def form_transfer_header_buttons(page, user, view_name=None, next_url=None):
    """An "Export as file" button on forms, "Import a form here" on pages that can hold one."""
    yield from _transfer_buttons(page, user, priority=75)


@hooks.register("register_page_listing_more_buttons")
def form_transfer_listing_buttons(page, user, next_url=None):
    yield from _transfer_buttons(page, user, priority=55)


# --- statistics per form (forms_builder.statistics) -------------------------------------


@hooks.register("register_admin_urls")
def statistics_urls():
    return [
        path(
            "forms/<int:page_id>/statistics/",
            statistics_views.FormStatisticsView.as_view(),
            name="forms_builder_statistics",
        ),
        path(
            "reports/form-statistics/",
            statistics_views.StatisticsReportView.as_view(),
            name="forms_builder_statistics_report",
        ),
    ]


@hooks.register("register_reports_menu_item")
def statistics_menu_item():
    return statistics_views.StatisticsMenuItem(
        _("Form statistics"),
        reverse("forms_builder_statistics_report"),
        icon_name="table",
        order=940,
    )


def _statistics_buttons(page, user, priority: int):
    if issubclass(page.specific_class or Page, ApplicationFormPage) and (
        statistics_views.can_see_statistics(user, page)
    ):
        yield Button(
            _("Statistics"),
            reverse("forms_builder_statistics", args=[page.pk]),
            icon_name="table",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def statistics_header_buttons(page, user, view_name=None, next_url=None):
    """A "Statistics" button in the header of a form's editor, for its editors."""
    yield from _statistics_buttons(page, user, priority=70)


@hooks.register("register_page_listing_more_buttons")
def statistics_listing_buttons(page, user, next_url=None):
    yield from _statistics_buttons(page, user, priority=50)
