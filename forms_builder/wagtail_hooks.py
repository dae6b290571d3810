"""Wagtail admin hooks of the form builder."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_editor_js")
def condition_editor_js() -> str:
    """Lets editors pick a condition's question from a list of the earlier questions."""
    return format_html(
        '<script src="{}" defer></script>', static("forms_builder/js/condition-editor.js")
    )
