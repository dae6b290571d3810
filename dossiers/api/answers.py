"""A dossier's answers as the API sends them: per question, the value exactly as the
CSV export writes it (each field type's ``exported``), so the API and the exports never
disagree about an answer."""

from __future__ import annotations

from dossiers.models import Dossier
from forms_builder.fields import get_field_type
from forms_builder.schema import input_fields


def answer_values(dossier: Dossier, *, reveal_sensitive: bool = False) -> list[dict]:
    """Every question of the dossier's own form version with its answer as the export
    writes it (one cell per question, masked as dossiers.export.answer_columns masks it): the
    shape the REST API (dossiers.api) sends. Unanswered questions have ``""``."""
    answers = dossier.answers if isinstance(dossier.answers, dict) else {}
    values = []
    for step, field in input_fields(dossier.snapshot.schema):
        field_type = get_field_type(field["type"])
        step_answers = answers.get(step["id"])
        present = isinstance(step_answers, dict) and field["name"] in step_answers
        values.append(
            {
                "step": step["id"],
                "name": field["name"],
                "label": field_type.export_heading(field),
                "type": field["type"],
                "value": field_type.exported(
                    step_answers[field["name"]], field, reveal_sensitive=reveal_sensitive
                )
                if present
                else "",
            }
        )
    return values
