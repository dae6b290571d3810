"""Routing rules: on a condition on the answers, another team handles the application.

Editors (administrators) add routing rules to an ApplicationFormPage (its ``routing``
StreamField of :class:`RoutingRuleBlock`): "when the occupation is a building site,
the team Public domain". At submission the first rule whose condition holds on the
answers chooses the team (:func:`routed_team_id`); when none holds, the form's own team
does. The conditions are those of the form's steps (:mod:`forms_builder.conditions`).

The rules are read from the live page at submission: a changed rule routes the
applications sent after the change. The teams are those the form's ``team`` field can
point to: this module never names the app that keeps them.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import conditions
from .condition_blocks import ConditionBlock

#: The model of the teams, named as the form's ``team`` field names it (a string: the
#: app that keeps the teams is not imported here).
TEAM_MODEL = "dossiers.Team"


def team_choices() -> list[tuple[str, str]]:
    """(id, name) of every team the form's ``team`` field can point to."""
    team_model = apps.get_model(TEAM_MODEL)
    return [(str(team.pk), str(team)) for team in team_model.objects.order_by("name")]


class RoutingRuleBlock(blocks.StructBlock):
    """One rule: when its condition holds, this team handles the application."""

    team = blocks.ChoiceBlock(label=_("Team"), choices=team_choices)
    condition = ConditionBlock(label=_("This team handles the application when"))

    class Meta:
        icon = "site"
        label = _("Routing rule")


def rules_of(page) -> list[dict]:
    """The routing rules of ``page`` as plain JSON: ``{"team": id, "condition": ...}``."""
    rules = []
    for child in getattr(page, "routing", None) or []:
        condition = conditions.condition_to_schema(child.value.get("condition"))
        team = str(child.value.get("team") or "")
        if condition and team.isdigit():
            rules.append({"id": child.id, "team": int(team), "condition": condition})
    return rules


def routed_team_id(page, schema: dict, answers: dict) -> int | None:
    """The team of the first rule of ``page`` whose condition holds on ``answers`` (of
    the visible steps of ``schema``); None when no rule holds."""
    rules = rules_of(page)
    if not rules:
        return None
    known = conditions.answers_by_name(schema, answers, conditions.visible_steps(schema, answers))
    for rule in rules:
        if conditions.evaluate(rule["condition"], known):
            return rule["team"]
    return None


def validate_routing(page, schema: dict) -> list[str]:
    """Messages for every routing rule that cannot work, naming it; [] when fine."""
    errors: list[str] = []
    for number, child in enumerate(getattr(page, "routing", None) or [], start=1):
        where = gettext("Routing rule %(number)d") % {"number": number}
        condition = conditions.condition_to_schema(child.value.get("condition"))
        if not condition:
            errors.append(gettext("%(where)s: add a rule to its condition.") % {"where": where})
            continue
        errors += conditions.condition_errors_at_end(condition, where, schema)
    return errors
