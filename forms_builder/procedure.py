"""What an application is submitted as: the procedure an outcome chose, and whether it
is late.

Both are worked out on the server from the stored answers of the visible steps, for the
check page (which tells the applicant) and again when sending (the
:class:`~forms_builder.submission.Submission` carries them to the submit handler):

- the procedure: the first outcome of kind "procedure" whose condition holds
  (:func:`forms_builder.outcomes.chosen_procedure`), e.g. a "melding" instead of a
  "toelating", with its own reference prefix, team and decision term;
- late: a question's lead time was not met, and the editor chose to accept such
  applications marked late (:meth:`forms_builder.fields.FieldType.is_late`); formulas
  read it as ``te_laat`` (:data:`forms_builder.calculations.LATE`).
"""

from __future__ import annotations

from . import calculations, conditions, outcomes
from .fields import get_field_type


def procedure_and_lateness(schema: dict, answers: dict) -> tuple[dict | None, bool]:
    """The procedure outcome (None: the form's own) and the late flag for ``answers``
    (``{step_id: {name: stored JSON value}}``)."""
    visible = conditions.visible_steps(schema, answers)
    known = conditions.answers_by_name(schema, answers, visible)
    return outcomes.chosen_procedure(schema, known), is_late(schema, answers, visible)


def is_late(schema: dict, answers: dict, visible: list[str]) -> bool:
    """Whether an answer of the visible steps is earlier than its lead time allows, on
    a question that accepts such answers marked late. Each lead time is computed from
    the answers before its step, as the step itself did."""
    before: list[str] = []
    for step in schema.get("steps") or []:
        if step.get("id") not in visible:
            continue
        step_answers = answers.get(step["id"]) or {}
        earlier = None
        for field in step.get("fields") or []:
            name = field.get("name")
            if not name or step_answers.get(name) in (None, ""):
                continue
            field_type = get_field_type(field["type"])
            if not field_type.can_be_late(field):
                continue
            if earlier is None:
                known = conditions.answers_by_name(schema, answers, before)
                earlier = calculations.formula_values(schema, known)
            if field_type.is_late(step_answers[name], field, earlier):
                return True
        before.append(step["id"])
    return False
