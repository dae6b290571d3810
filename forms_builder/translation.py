"""English texts of a form, beside the Dutch ones.

Editors write a form in Dutch and may give each text an English version: a step's
title and introduction (``title_en``, ``intro_en``), a question's ``label_en``,
``help_text_en`` and ``required_message_en``, the options of a choice question
(``choices_en``, in the same order) and information texts and headings (``text_en``).
The schema keeps them under ``"en"`` of the step or field, only when there are some, so
a form without English keeps its schema and its hash::

    {"id": ..., "label": "Naam van de zaak", ..., "en": {"label": "Name of the business"}}

A visitor who chose English gets :func:`translated_step`: a copy of the step with the
English texts in place of the Dutch ones, and ``*_lang`` = "nl" on every text that has no
English version, so the page marks it Dutch (WCAG 3.1.2). Nothing else changes: field
names, option values (always the Dutch option), conditions and the frozen schema are the
same in both languages, so an answer is stored the same whatever the visitor reads.
"""

from __future__ import annotations

import copy

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from core.translation import wants_english

#: The texts of a question that can be translated: its setting → the key in the schema.
QUESTION_TEXTS = {
    "label_en": "label",
    "help_text_en": "help_text",
    "required_message_en": "required_message",
}
#: The texts of a step.
STEP_TEXTS = {"title_en": "title", "intro_en": "intro"}


def english_blocks(field_type) -> list[tuple[str, blocks.Block]]:
    """The blocks of a question's English texts (see :meth:`FieldType.english_blocks`)."""
    children: list[tuple[str, blocks.Block]] = []
    if field_type.has_input:
        children += [
            (
                "label_en",
                blocks.CharBlock(label=_("Question in English"), required=False, max_length=255),
            ),
            ("help_text_en", blocks.TextBlock(label=_("Help text in English"), required=False)),
            (
                "required_message_en",
                blocks.CharBlock(
                    label=_("Message when not answered, in English"),
                    required=False,
                    max_length=255,
                ),
            ),
        ]
    own = dict(field_type.option_blocks())
    for name in field_type.translatable_options:
        block = own[name]
        if isinstance(block, blocks.ListBlock):
            english = blocks.ListBlock(
                blocks.CharBlock(label=_("Option"), max_length=255),
                label=_("Options in English"),
                default=[],
                required=False,
                help_text=_(
                    "In the same order as the options above, all of them or none. The "
                    "answer is stored as the Dutch option."
                ),
            )
        elif isinstance(block, blocks.RichTextBlock):
            english = blocks.RichTextBlock(
                label=_("Text in English"), required=False, features=block.features
            )
        else:
            english = blocks.CharBlock(label=_("Text in English"), required=False, max_length=255)
        children.append((f"{name}_en", english))
    return children


def english_errors(value) -> dict[str, str]:
    """Messages for English texts that cannot work, by setting: options in English that
    do not match the Dutch ones one by one."""
    english = [item for item in (value.get("choices_en") or []) if str(item).strip()]
    dutch = list(value.get("choices") or [])
    if english and len(english) != len(dutch):
        return {
            "choices_en": _(
                "Give every option an English text, in the same order, or leave them all "
                "empty: there are %(dutch)s options and %(english)s English ones."
            )
            % {"dutch": len(dutch), "english": len(english)}
        }
    return {}


def _text(value) -> str:
    text = getattr(value, "source", value)
    return str(text or "").strip()


def field_english(field_type, value) -> dict:
    """The English texts of one question block's value, for its schema ("" left out)."""
    english = {key: _text(value.get(name)) for name, key in QUESTION_TEXTS.items()}
    for name in field_type.translatable_options:
        item = value.get(f"{name}_en")
        if name == "choices":
            texts = [str(choice).strip() for choice in item or []]
            english["choices"] = [text for text in texts if text]
        else:
            english[name] = _text(item)
    return {key: text for key, text in english.items() if text}


def step_english(value) -> dict:
    """The English title and introduction of one step block's value, for its schema."""
    english = {key: _text(value.get(name)) for name, key in STEP_TEXTS.items()}
    return {key: text for key, text in english.items() if text}


def translated_field(field: dict) -> dict:
    """A copy of the field definition with its English texts (see the module)."""
    english = field.get("en") or {}
    field = dict(field)
    options = dict(field.get("options") or {})
    if "label" in field:
        for key in ("label", "help_text"):
            if english.get(key):
                field[key] = english[key]
            elif field.get(key):
                field[f"{key}_lang"] = settings.LANGUAGE_CODE
        if english.get("required_message"):
            field["required_message"] = english["required_message"]
        elif english.get("label"):
            # A Dutch message next to an English question: the English one made from
            # the question reads better (forms_builder.fields.asking.required_message).
            field.pop("required_message", None)
        elif field.get("required_message"):
            field["message_lang"] = settings.LANGUAGE_CODE
    choices = options.get("choices")
    if choices:
        labels = english.get("choices") or []
        if len(labels) == len(choices):
            options["choice_labels"] = labels
        else:
            field["choices_lang"] = settings.LANGUAGE_CODE
    if "text" in options and options.get("text"):
        if english.get("text"):
            options["text"] = english["text"]
        else:
            field["content_lang"] = settings.LANGUAGE_CODE
    children = options.get("fields")
    if isinstance(children, list):
        options["fields"] = [translated_field(child) for child in children]
    field["options"] = options
    return field


def language_marks(field: dict) -> dict[str, str]:
    """Which texts of a (translated) field definition stay Dutch: "nl" by part
    ("label", "help", "choices", "message"), "" for the others; the step template puts
    them in ``lang`` attributes (``form_field.loket_lang``, theme/components/field.html)."""
    return {
        part: field.get(f"{key}_lang", "")
        for part, key in (
            ("label", "label"),
            ("help", "help_text"),
            ("choices", "choices"),
            ("message", "message"),
        )
    }


def translated_step(step: dict, language: str | None = None) -> dict:
    """The step as a visitor reading ``language`` sees it: itself for Dutch, a copy with
    the English texts (and the Dutch ones marked) for English."""
    if not wants_english(language):
        return step
    english = step.get("en") or {}
    step = dict(step)
    for key in ("title", "intro"):
        if english.get(key):
            step[key] = english[key]
        elif step.get(key):
            step[f"{key}_lang"] = settings.LANGUAGE_CODE
    step["fields"] = [translated_field(field) for field in step["fields"]]
    return step


def translated_schema(schema: dict, language: str | None = None) -> dict:
    """The schema with every step as :func:`translated_step` gives it (the check page)."""
    if not wants_english(language):
        return schema
    schema = copy.copy(schema)
    schema["steps"] = [translated_step(step, language) for step in schema["steps"]]
    return schema


def translated_rules(rules: list[dict], language: str | None = None) -> list[dict]:
    """The rules of a step as a visitor reading ``language`` sees their messages: the
    editor's English message for English, else the Dutch one (in a ``lang="nl"`` span
    for an English visitor)."""
    if not wants_english(language):
        return rules
    translated = []
    for rule in rules:
        english = (rule.get("en") or {}).get("message")
        message = english or format_html(
            '<span lang="{}">{}</span>', settings.LANGUAGE_CODE, rule.get("message", "")
        )
        translated.append({**rule, "message": message})
    return translated
