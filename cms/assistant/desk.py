"""The way from the assistant to a person: a question to the desk that becomes a dossier,
with the conversation already filled in.

The desk's question form is the one editors already chose on the contact page ("page to
ask a question or make an appointment"): a service page with an online form, or the
form itself. The conversation goes into the first text question of the form's first
step that editors marked "Can be filled in from a link" (forms_builder.prefill's query
string source), so the visitor sees it, can change it, and sends it like any
application: it becomes a dossier for the desk's team. Without such a question the link
simply opens the page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.utils.translation import gettext as _
from wagtail.models import Page

from forms_builder.models import ApplicationFormPage
from forms_builder.prefill import MAX_VALUE_LENGTH
from forms_builder.schema import build_schema

from ..models import ContactPage, ServicePage, SiteBranding

#: Field types the conversation can go into (the long one first).
TEXT_TYPES = ("long_text", "short_text")
#: How many earlier questions a conversation keeps (the latest ones).
MAX_EARLIER_QUESTIONS = 5


def desk_page(request) -> Page | None:
    """The live page to ask the desk a question or make an appointment (set on the
    contact page of the site's branding), or None."""
    branding = SiteBranding.for_request(request)
    contact = branding.contact_page.specific if branding.contact_page else None
    if not isinstance(contact, ContactPage) or not contact.appointment_page:
        return None
    page = contact.appointment_page
    return page.specific if page.live else None


def desk_form(page: Page | None) -> ApplicationFormPage | None:
    """The live online form behind ``page`` (the page itself or a service's form)."""
    if isinstance(page, ServicePage) and page.form_page_id:
        page = page.form_page
    if isinstance(page, Page):
        page = page.specific
    if isinstance(page, ApplicationFormPage) and page.live:
        return page
    return None


def conversation_field(form: ApplicationFormPage) -> dict | None:
    """The question of the form's first step the conversation goes into: a text
    question editors marked as filled in from a link, a long one preferred."""
    steps = build_schema(form)["steps"]
    if not steps:
        return None
    fields = [
        field
        for field in steps[0]["fields"]
        if field.get("prefill") and field.get("type") in TEXT_TYPES and field.get("name")
    ]
    fields.sort(key=lambda field: TEXT_TYPES.index(field["type"]))
    return fields[0] if fields else None


def conversation_text(questions: list[str], answer_titles: list[str], *, limit: int) -> str:
    """The conversation as the visitor will see it in the form: their questions, and
    what the assistant answered last (the pages, or that it did not know). Earlier
    questions are dropped first when it is longer than ``limit`` characters."""
    if answer_titles:
        last = _("The assistant pointed to: %(pages)s.") % {"pages": ", ".join(answer_titles)}
    else:
        last = _("The assistant did not know the answer.")
    questions = [question for question in questions if question][-MAX_EARLIER_QUESTIONS - 1 :]
    while True:
        lines = [_("My questions to the assistant:")]
        lines += [f"- {question}" for question in questions]
        lines += [last, ""]
        text = "\n".join(lines)
        if len(text) <= limit or len(questions) <= 1:
            return text[:limit]
        questions = questions[1:]


def desk_question_url(request, questions: list[str], answer_titles: list[str]) -> str:
    """Where to ask the desk: the desk's form with the conversation filled in, else the
    desk's page, else "" (the site has not set one)."""
    page = desk_page(request)
    if page is None:
        return ""
    form = desk_form(page)
    field = conversation_field(form) if form else None
    if field is None:
        return page.url
    limit = min(
        MAX_VALUE_LENGTH, (field.get("options") or {}).get("max_length") or MAX_VALUE_LENGTH
    )
    text = conversation_text(questions, answer_titles, limit=limit)
    step_url = form.url + form.reverse_subpage("step", kwargs={"step": "1"})
    return f"{step_url}?{urlencode({field['name']: text})}"
