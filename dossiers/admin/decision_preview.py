"""The confirmation step of a decision: before an approval or a refusal is made, the
officer sees the decision letter exactly as it will be sent (issue #14, item 9).

The preview is the real thing, undone: the transition runs in a transaction that is
rolled back after the letter is drawn, so every check of the workflow applies (a
missing decision text, a stage that holds it back, a permit's details) and nothing is
kept or sent (on-commit e-mails of a rolled-back transaction never go). Confirming
posts the same fields again with ``confirmed=1``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from dossiers import workflow
from dossiers.outbox import letters

#: The POST field that says the officer saw the letter and confirms.
CONFIRMED = "confirmed"


class _Undo(Exception):
    """Raised to roll the preview's transaction back."""


def needs_confirmation(request, name: str) -> bool:
    """Whether the transition ``name`` decides and the officer has not confirmed yet."""
    spec = workflow.TRANSITIONS.get(name)
    return bool(spec and spec.decides) and request.POST.get(CONFIRMED) != "1"


def letter_preview(dossier, name: str, *, actor, expected_status, data) -> str:
    """The decision letter ``name`` would send, as HTML; raises ActionRefused (Dutch)
    when the workflow refuses it. Nothing is kept."""
    html = ""
    try:
        with transaction.atomic():
            decided = workflow.transition(
                dossier, name, actor=actor, expected_status=expected_status, data=data
            )
            html = letters.render_decision_letter_html(decided)
            raise _Undo
    except _Undo:
        pass
    dossier.refresh_from_db()
    return html


class DecisionPreviewView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "dossiers/admin/decision_confirm.html"
    page_title = gettext_lazy("Check the decision")
    header_icon = "doc-full"


def render_preview(request, *, dossier, name: str, html: str, back_url: str):
    """The confirmation page: the letter, and the same fields posted again."""
    view = DecisionPreviewView()
    view.setup(request)
    fields = [
        (key, value)
        for key in request.POST
        if key not in ("csrfmiddlewaretoken", CONFIRMED)
        for value in request.POST.getlist(key)
    ]
    context = view.get_context_data(
        dossier=dossier,
        transition=workflow.TRANSITIONS[name],
        letter_html=html,
        fields=fields,
        action_url=request.path,
        back_url=back_url,
    )
    return view.render_to_response(context)
