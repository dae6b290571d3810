"""The decision letters' templates as a Wagtail snippet: list and edit form.

Registered in dossiers/wagtail_hooks.py. The help beside the texts lists the
placeholders a letter offers (:mod:`dossiers.outbox.letter_texts`); the model checks
them when the template is saved. The full letter shows on the decision's confirmation
page (:mod:`dossiers.admin.decision_preview`).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column

from dossiers.admin.site_snippets import SiteScopedForm, SiteScopedViewSet
from dossiers.models import DecisionLetterTemplate
from dossiers.outbox import letter_texts


def form_title(template: DecisionLetterTemplate) -> str:
    return template.form_page.title if template.form_page_id else str(_("every form"))


class LetterPlaceholderPanel(HelpPanel):
    """Lists the placeholders of a decision letter, with what they stand for."""

    def __init__(self, template="dossiers/admin/notification_placeholders.html", **kwargs):
        super().__init__(template=template, **kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["kinds"] = [(_("Decision letter"), list(letter_texts.PLACEHOLDERS))]
            return context


def _text(name: str, rows: int = 5) -> FieldPanel:
    return FieldPanel(name, widget=forms.Textarea(attrs={"rows": rows}))


class DecisionLetterTemplateViewSet(SiteScopedViewSet):
    model = DecisionLetterTemplate
    icon = "doc-full"
    menu_label = _("Decision letters")
    list_display = [
        Column("form", label=_("form"), accessor=form_title),
        Column("site", label=_("municipality"), accessor="site_name"),
        Column("language", label=_("language"), accessor="get_language_display"),
    ]
    list_filter = ["language"]
    ordering = ["form_page", "language"]
    edit_handler = ObjectList(
        [
            HelpPanel(
                content=_(
                    "The fixed parts of the decision letter. The officer's decision text "
                    "comes between the legal basis and the conditions. Plain text: "
                    "placeholders in braces, such as {referentienummer}, are filled in "
                    "when the letter is made. For a brace itself, write {{ or }}."
                )
            ),
            FieldPanel("site"),
            FieldPanel("form_page"),
            FieldPanel("language"),
            _text("opening", 3),
            _text("legal_basis"),
            _text("conditions", 8),
            _text("appeal", 8),
            LetterPlaceholderPanel(heading=_("Placeholders")),
        ],
        base_form_class=SiteScopedForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("form_page", "site")
