"""The applicant's side of a form: a django-formtools wizard built from the schema.

The wizard is deliberately thin: every step is a :class:`StepForm` whose fields come
from the field-type registry, and submitting hands the answers to
``dossiers.services.submit_application``.
"""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from formtools.wizard.views import SessionWizardView

from dossiers import services as dossier_services

from .fields import get_field_type


class StepForm(forms.Form):
    """The Django form of one step, built from the step's schema."""

    def __init__(self, *args, step: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.field_definitions = {}
        for field in step["fields"]:
            field_type = get_field_type(field["type"])
            if field_type.has_input:
                self.fields[field["name"]] = field_type.get_form_field(field)
                self.field_definitions[field["name"]] = field

    def answers(self) -> dict:
        """The cleaned data as stored JSON values, keyed by field name."""
        return {
            name: get_field_type(field["type"]).to_json(self.cleaned_data.get(name), field)
            for name, field in self.field_definitions.items()
        }


class ApplicationWizard(SessionWizardView):
    """One step per page; the steps come from the form page's schema."""

    #: The ApplicationFormPage being filled in (set per request by as_form_view()).
    page = None
    #: The page's plain schema (see forms_builder.schema).
    schema: dict | None = None
    template_name = "forms_builder/wizard_step.html"

    @classmethod
    def as_form_view(cls, page):
        """A view function serving the wizard of this page."""
        schema = page.get_schema()
        form_list = [(step["id"], StepForm) for step in schema["steps"]]
        if not form_list:
            return lambda request: TemplateResponse(
                request, "forms_builder/form_unavailable.html", {"page": page, "self": page}
            )
        return cls.as_view(form_list=form_list, page=page, schema=schema)

    def get_prefix(self, request, *args, **kwargs):
        # One session slot per form page: two forms open in two tabs never mix.
        return f"loket-form-{self.page.pk}"

    def step_schema(self, step_id: str) -> dict:
        return next(step for step in self.schema["steps"] if step["id"] == step_id)

    def get_form_kwargs(self, step=None):
        return {"step": self.step_schema(step)}

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.update(
            page=self.page,
            self=self.page,
            step=self.step_schema(self.steps.current),
            step_number=self.steps.step1,
            step_count=self.steps.count,
        )
        return context

    def done(self, form_list, **kwargs):
        answers = {form.step["id"]: form.answers() for form in form_list}
        dossier = dossier_services.submit_application(
            form_page=self.page,
            schema=self.schema,
            answers=answers,
            language=get_language(),
        )
        self.request.session[confirmation_session_key(self.page)] = dossier.pk
        return redirect(self.page.url + self.page.reverse_subpage("confirmation"))


def confirmation_session_key(page) -> str:
    return f"loket-submitted-{page.pk}"


def confirmation_view(request, page):
    """The page after submitting: reference number and the link to the status page."""
    dossier_pk = request.session.get(confirmation_session_key(page))
    dossier = dossier_services.get_dossier_for_confirmation(dossier_pk) if dossier_pk else None
    if dossier is None:
        return redirect(page.url)
    return TemplateResponse(
        request,
        "forms_builder/confirmation.html",
        {"page": page, "self": page, "dossier": dossier},
    )
