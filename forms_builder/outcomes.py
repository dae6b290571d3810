"""Outcomes: on a condition, the form ends with a page the editor writes, or the
application goes on under another procedure.

Editors add outcomes to an ApplicationFormPage (its ``outcomes`` StreamField of
:class:`OutcomeBlock`): a title, a text with links ("U komt niet in aanmerking", "Een
defecte straatlamp meldt u bij Fluvius") and a condition (:mod:`forms_builder.conditions`).
The schema keeps them as::

    "outcomes": [{"id": "<block uuid>", "title": "...", "text": "<p>...</p>",
                  "condition": {"combinator": "all", "rules": [...]},
                  "kind": "end" | "procedure",
                  "reference_prefix": "MEL", "team": "3", "decision_term_days": 10}]

An outcome of kind ``procedure`` does not end the form: it changes what is submitted
(a small indoor event is a "melding" instead of a "toelating"). The first one whose
condition holds on all answers is the application's procedure
(:func:`chosen_procedure`): the check page and the confirmation name it (its title and
text), and the submission carries it to the submit handler, which takes its reference
prefix, team and decision term instead of the form's (any left empty stay the form's).
Teams are offered by the submit handler
(:meth:`forms_builder.submission.SubmitHandler.team_choices`).

What follows is about outcomes that end the form (kind ``end``; outcomes frozen
before kinds existed are of that kind).

An outcome is reached when the applicant finishes the step after which every answer
its condition uses is known, and the condition holds: the wizard then shows the
outcome page instead of the next step, and the application cannot be submitted (the
check page and sending refuse it too, so a forged post changes nothing). Changing the
answer that led there, on an earlier step, takes the applicant out again.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import conditions
from .condition_blocks import ConditionBlock
from .submission import get_submit_handler

#: An outcome that ends the form, and one that changes the procedure.
END = "end"
PROCEDURE = "procedure"
KIND_CHOICES = [
    (END, _("End the form with this page")),
    (PROCEDURE, _("Go on, with another procedure (e.g. a melding instead of a toelating)")),
]


def team_choices() -> list[tuple[str, str]]:
    """The teams an outcome can send the application to, as the submit handler offers
    them (read when the editor opens the form)."""
    try:
        teams = get_submit_handler().team_choices()
    except ImproperlyConfigured:  # no handler registered: a system check says so
        teams = []
    return [("", _("The form's team"))] + [(str(pk), name) for pk, name in teams]


class OutcomeBlock(blocks.StructBlock):
    """A page that ends the form when its condition holds, or another procedure."""

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
    kind = blocks.ChoiceBlock(
        label=_("What happens"),
        choices=KIND_CHOICES,
        default=END,
        help_text=_(
            "Another procedure: the applicant sends the form, and it is handled with the "
            "reference prefix, team and decision term below. Leave those empty to keep "
            "the form's."
        ),
    )
    reference_prefix = blocks.RegexBlock(
        label=_("Reference prefix of the other procedure"),
        regex=r"^[A-Za-z0-9]{1,10}$",
        required=False,
        error_messages={"invalid": _("Use only letters and digits, e.g. MEL.")},
    )
    team = blocks.ChoiceBlock(
        label=_("Team of the other procedure"), choices=team_choices, required=False
    )
    decision_term_days = blocks.IntegerBlock(
        label=_("Decision term of the other procedure (days)"), required=False, min_value=1
    )

    class Meta:
        icon = "warning"
        label = _("Outcome")
        label_format = "{title}"


def outcome_to_schema(child) -> dict:
    """The plain JSON of one child of the ``outcomes`` StreamField."""
    text = child.value.get("text")
    value = child.value
    return {
        "id": child.id,
        "title": value.get("title") or "",
        "text": getattr(text, "source", text) or "",
        "condition": conditions.condition_to_schema(value.get("condition")),
        "kind": value.get("kind") or END,
        "reference_prefix": (value.get("reference_prefix") or "").strip().upper(),
        "team": str(value.get("team") or ""),
        "decision_term_days": value.get("decision_term_days") or None,
    }


def _with_condition(schema: Any) -> list[dict]:
    found = schema.get("outcomes") if isinstance(schema, dict) else None
    return [item for item in found or [] if isinstance(item, dict) and item.get("condition")]


def outcomes_of(schema: Any) -> list[dict]:
    """The outcomes of a schema that end the form (none for schemas frozen before they
    existed)."""
    return [item for item in _with_condition(schema) if item.get("kind", END) == END]


def procedures_of(schema: Any) -> list[dict]:
    """The outcomes of a schema that change the procedure."""
    return [item for item in _with_condition(schema) if item.get("kind") == PROCEDURE]


def chosen_procedure(schema: dict, answers_by_name: dict) -> dict | None:
    """The first procedure outcome whose condition holds on ``answers_by_name`` (all
    visible answers and the calculations on them); None: the form's own procedure."""
    for outcome in procedures_of(schema):
        if conditions.evaluate(outcome["condition"], answers_by_name):
            return outcome
    return None


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
        if item.get("kind") == PROCEDURE and not any(
            item.get(key) for key in ("reference_prefix", "team", "decision_term_days")
        ):
            errors.append(
                gettext(
                    "Outcome “%(title)s”: give the other procedure a reference prefix, a "
                    "team or a decision term; otherwise nothing changes."
                )
                % {"title": item.get("title", "")}
            )
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
