"""The editor's preview of a form: every step at once, or the check page with samples.

Previews render the page's unsaved content; they never create drafts, snapshots or
dossiers.
"""

from django.template.response import TemplateResponse

from .fields import get_field_type
from .forms import StepForm
from .schema import display_answers
from .wizard import calculation_sections


def sample_answers(schema: dict) -> dict:
    """Plausible answers for every input field of every step, keyed as in a dossier."""
    return {
        step["id"]: {
            field["name"]: get_field_type(field["type"]).sample_value(field)
            for field in step["fields"]
            if get_field_type(field["type"]).has_input
        }
        for step in schema["steps"]
    }


def preview_steps(request, page):
    """All steps of the form below each other, as applicants will see them."""
    schema = page.get_schema()
    steps = [
        {"step": step, "form": StepForm(step=step, prefix=str(index + 1)), "number": index + 1}
        for index, step in enumerate(schema["steps"])
    ]
    return TemplateResponse(
        request,
        "forms_builder/preview_steps.html",
        {"page": page, "self": page, "steps": steps, "step_count": len(steps)},
    )


def preview_check(request, page):
    """The check-your-answers page, filled with sample answers."""
    schema = page.get_schema()
    answers = sample_answers(schema)
    return TemplateResponse(
        request,
        "forms_builder/check_answers.html",
        {
            "page": page,
            "self": page,
            "sections": display_answers(schema, answers, reveal_sensitive=True)
            + calculation_sections(schema, answers),
            "declaration_form": None,
            "preview": True,
        },
    )
