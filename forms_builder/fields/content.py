"""Content blocks inside a form: text for applicants to read, without an answer."""

from __future__ import annotations

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

    def to_json(self, value, field):
        return None

    def display(self, value, field):
        return ""

    def export(self, value, field):
        return ""
