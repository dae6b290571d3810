"""Outcomes: on a condition, the form ends with a page the editor writes.

Editors add outcomes to an ApplicationFormPage (its ``outcomes`` StreamField of
:class:`OutcomeBlock`): a title, a text with links ("U komt niet in aanmerking", "Een
defecte straatlamp meldt u bij Fluvius") and a condition (:mod:`forms_builder.conditions`).
The schema keeps them as::

    "outcomes": [{"id": "<block uuid>", "title": "...", "text": "<p>...</p>",
                  "condition": {"combinator": "all", "rules": [...]}}]

An outcome is reached when the applicant finishes the step after which every answer
its condition uses is known, and the condition holds: the wizard then shows the
outcome page instead of the next step, and the application cannot be submitted (the
check page and sending refuse it too, so a forged post changes nothing). Changing the
answer that led there, on an earlier step, takes the applicant out again.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import conditions
from .condition_blocks import ConditionBlock


class OutcomeBlock(blocks.StructBlock):
    """A page that ends the form when its condition holds."""

    title = blocks.CharBlock(
        label=_("Title"),
        max_length=255,
        help_text=_("E.g. “U komt niet in aanmerking”."),
    )
    text = blocks.RichTextBlock(
        label=_("Text"),
        features=["h3", "bold", "italic", "link", "ol", "ul"],
        help_text=_("Say why, and where the applicant can go instead, with a link."),
    )
    condition = ConditionBlock(label=_("End the form with this page when"))

    class Meta:
        icon = "warning"
        label = _("Outcome")
        label_format = "{title}"


def outcome_to_schema(child) -> dict:
    """The plain JSON of one child of the ``outcomes`` StreamField."""
    text = child.value.get("text")
    return {
        "id": child.id,
        "title": child.value.get("title") or "",
        "text": getattr(text, "source", text) or "",
        "condition": conditions.condition_to_schema(child.value.get("condition")),
    }


def outcomes_of(schema: Any) -> list[dict]:
    """The outcomes of a schema (none for schemas frozen before they existed)."""
    found = schema.get("outcomes") if isinstance(schema, dict) else None
    return [item for item in found or [] if isinstance(item, dict) and item.get("condition")]


def reached_outcome(schema: dict, answers_by_name: dict, finished_step: int) -> dict | None:
    """The first outcome whose answers are all given by step ``finished_step`` (an
    index) and whose condition holds on ``answers_by_name``; None when the form goes on.

    ``answers_by_name`` are the answers of the visible steps and the calculations on them
    (:func:`forms_builder.conditions.answers_by_name`).
    """
    for outcome in outcomes_of(schema):
        if conditions.last_step_used(outcome["condition"], schema) > finished_step:
            continue
        if conditions.evaluate(outcome["condition"], answers_by_name):
            return outcome
    return None


def validate_outcomes(schema: dict) -> list[str]:
    """Messages for every outcome that cannot work, naming it; [] when all is fine.

    An outcome needs a condition (without one, no application could ever be sent) whose
    rules use questions of the form with suitable values.
    """
    errors: list[str] = []
    for item in schema.get("outcomes") or []:
        where = gettext("Outcome “%(title)s”") % {"title": item.get("title", "")}
        if not item.get("condition"):
            errors.append(
                gettext(
                    "%(where)s: add a rule to its condition. Without one, nobody could send "
                    "the form."
                )
                % {"where": where}
            )
            continue
        errors += conditions.condition_errors_at_end(item["condition"], where, schema)
    return errors
