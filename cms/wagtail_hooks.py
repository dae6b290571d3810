"""Admin hooks of the public site."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_editor_js")
def finder_editor_js() -> str:
    """Suggests the finder's questions when an editor fills in an answer's next question."""
    return format_html('<script src="{}" defer></script>', static("cms/js/finder-editor.js"))
