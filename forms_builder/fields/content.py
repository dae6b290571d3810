"""Content blocks inside a form: text for applicants to read, without an answer.

Like questions, they can be shown on a condition (their ``condition``; see
:class:`forms_builder.forms.StepForm`). :meth:`content_html` is what the step shows.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import FieldType
from .registry import register


@register
class InformationField(FieldType):
    """A piece of rich text between the questions of a step.

    Its schema holds the text's source HTML under ``options["text"]``; templates show
    it with ``|richtext``.
    """

    type_id = "information"
    label = _("Information text")
    icon = "info-circle"
    has_input = False
    translatable_options = ("text",)

    def option_blocks(self):
        return [
            (
                "text",
                blocks.RichTextBlock(
                    label=_("Text"),
                    features=["h3", "bold", "italic", "link", "ol", "ul"],
                ),
            )
        ]

    def get_form_field(self, field, earlier_values=None):
        raise TypeError("An information block takes no answer and has no form field.")

    def content_html(self, field: dict) -> str:
        """The block as the step shows it (rich-text source, through ``|richtext``)."""
        return (field.get("options") or {}).get("text") or ""

    def to_json(self, value, field):
        return None

    def display(self, value, field):
        return ""

    def export(self, value, field):
        return ""


@register
class HeadingField(InformationField):
    """A heading between the questions of a step ("Uw terras", "De dagen van het
    evenement"), one level below the step's title."""

    type_id = "heading"
    label = _("Heading")
    icon = "title"

    def option_blocks(self):
        return [("text", blocks.CharBlock(label=_("Heading"), max_length=255))]

    def content_html(self, field: dict) -> str:
        return format_html("<h2>{}</h2>", (field.get("options") or {}).get("text") or "")
