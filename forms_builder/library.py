"""Reusable steps: a step that editors write once and include in several forms.

A :class:`ReusableStep` is a snippet ("Gegevens van uw onderneming") holding one
step: its title, introduction and fields, edited with the same blocks as a step of
a form. A form includes it with :class:`ReusableStepChooserBlock`, next to its own
steps, and decides there whether the step is shown (its condition).

:func:`expanded_steps` turns a form's steps into plain steps, taking a reusable
step's content from its *published* version at that moment. The schema is built
from those (see :mod:`forms_builder.schema`), and a dossier or a running draft keeps
the schema it started with, so editing a reusable step later changes new
applications only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, RevisionMixin
from wagtail.snippets.blocks import SnippetChooserBlock

from .blocks import StepBlock
from .conditions import ConditionBlock

#: The block type of a reusable step in a form's StreamField of steps.
REUSABLE_STEP_BLOCK = "reusable_step"


class ReusableStepContentBlock(StepBlock):
    """A form step without its condition: each form that includes it decides that."""

    def __init__(self, local_blocks=None, **kwargs):
        super().__init__(local_blocks, **kwargs)
        del self.child_blocks["condition"]


class ReusableStep(DraftStateMixin, RevisionMixin, models.Model):
    """A step that several forms include; forms use its published version."""

    title = models.CharField(
        _("name"),
        max_length=255,
        help_text=_("How editors find this step, e.g. “Gegevens van uw onderneming”."),
    )
    content = StreamField(
        [("step", ReusableStepContentBlock())],
        verbose_name=_("step"),
        min_num=1,
        max_num=1,
        use_json_field=True,
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="reusable_step")

    panels = [FieldPanel("title"), FieldPanel("content")]

    class Meta:
        verbose_name = _("reusable step")
        verbose_name_plural = _("reusable steps")
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    def get_step(self):
        """The step block value (title, intro, fields) of this version, or None."""
        for child in self.content:
            return child.value
        return None

    def get_raw_step(self) -> dict | None:
        """The step of this version as JSON data: ``{"title", "intro", "fields"}``."""
        for child in self.content:
            return child.block.get_prep_value(child.value)
        return None


class ReusableStepChooserBlock(blocks.StructBlock):
    """Includes a reusable step among a form's steps."""

    step = SnippetChooserBlock(
        "forms_builder.ReusableStep",
        label=_("Reusable step"),
        help_text=_("Forms use the published version of the step."),
    )
    condition = ConditionBlock(label=_("Show this step only when"))

    class Meta:
        icon = "copy"
        label = _("Reusable step")
        form_classname = "loket-reusable-step-block"

    def clean(self, value):
        value = super().clean(value)
        snippet = value.get("step")
        if snippet is not None and not snippet.live:
            raise StructBlockValidationError(
                block_errors={
                    "step": ValidationError(
                        _("“%(title)s” is not published. Publish it before a form uses it."),
                        params={"title": snippet.title},
                    )
                }
            )
        return value


@dataclass(frozen=True)
class ExpandedStep:
    """A reusable step as it appears among a form's steps: like a StreamField child."""

    #: The id of the including block, so the step id stays the same across versions.
    id: str
    block_type: str
    #: ``{"title", "intro", "fields", "condition"}`` like a StepBlock value.
    value: dict[str, Any]


def _live_snippets(steps) -> dict[int, ReusableStep]:
    """The published reusable steps that ``steps`` include, fetched now, by id."""
    ids = [
        child.value["step"].pk
        for child in steps
        if child.block_type == REUSABLE_STEP_BLOCK and child.value.get("step") is not None
    ]
    return ReusableStep.objects.filter(pk__in=ids, live=True).in_bulk() if ids else {}


def _included_snippet(child, snippets: dict[int, ReusableStep]) -> ReusableStep | None:
    snippet = child.value.get("step")
    return snippets.get(snippet.pk) if snippet is not None else None


def expanded_steps(steps) -> Iterator:
    """The steps of a form's StreamField, with reusable steps turned into plain ones.

    Plain steps are yielded as they are. A reusable step becomes an
    :class:`ExpandedStep` with the content the snippet has published *now* (read
    afresh, not from a cached block value) and the including block's id and
    condition. A reusable step that is not published (or was deleted) is left out,
    like an unpublished page.
    """
    snippets = _live_snippets(steps)
    for child in steps:
        if child.block_type != REUSABLE_STEP_BLOCK:
            yield child
            continue
        snippet = _included_snippet(child, snippets)
        step = snippet.get_step() if snippet is not None else None
        if step is None:
            continue
        yield ExpandedStep(
            id=child.id,
            block_type="step",
            value={
                "title": step["title"],
                "intro": step.get("intro"),
                "fields": step["fields"],
                "condition": child.value.get("condition"),
                "title_en": step.get("title_en"),
                "intro_en": step.get("intro_en"),
            },
        )


def expanded_raw_steps(steps) -> list[dict]:
    """The stored JSON of a form's steps, with reusable steps inlined as plain steps.

    ``steps`` is the form's StreamValue. Used to export a form as one self-contained
    document (see :mod:`forms_builder.transfer`).
    """
    snippets = _live_snippets(steps)
    raw_steps = []
    for child in steps:
        if child.block_type != REUSABLE_STEP_BLOCK:
            raw_steps.append(child.get_prep_value())
            continue
        snippet = _included_snippet(child, snippets)
        step = snippet.get_raw_step() if snippet is not None else None
        if step is None:
            continue
        condition = child.value.get("condition")
        if condition:
            step["condition"] = child.block.child_blocks["condition"].get_prep_value(condition)
        raw_steps.append({"type": "step", "value": step, "id": child.id})
    return raw_steps
