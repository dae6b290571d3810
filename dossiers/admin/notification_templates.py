"""The editable e-mail texts as a Wagtail snippet: list, edit form and preview.

Registered in dossiers/wagtail_hooks.py. The kind of e-mail is a select of the kinds
registered in :mod:`dossiers.outbox`; the help beside the text lists the
placeholders of every kind. The preview comes from the model
(:class:`~dossiers.models.NotificationTemplate` is previewable).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column

from dossiers.admin.site_snippets import SiteScopedForm, SiteScopedViewSet
from dossiers.models import NotificationTemplate
from dossiers.outbox import kinds as email_kinds
from dossiers.outbox import texts as email_texts


def kind_choices() -> list[tuple[str, str]]:
    """The registered kinds of e-mail, read when the form is shown (kinds are registered
    by several modules when the apps load)."""
    return [("", _("Choose the kind of e-mail"))] + [
        (kind.kind_id, str(kind.label)) for kind in email_kinds.all_kinds()
    ]


def form_title(text: NotificationTemplate) -> str:
    return text.form_page.title if text.form_page_id else str(_("every form"))


class PlaceholderHelpPanel(HelpPanel):
    """Lists the placeholders each kind of e-mail offers, with what they stand for."""

    def __init__(self, template="dossiers/admin/notification_placeholders.html", **kwargs):
        super().__init__(template=template, **kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["kinds"] = email_texts.placeholder_help()
            return context


class NotificationTemplateViewSet(SiteScopedViewSet):
    model = NotificationTemplate
    icon = "mail"
    menu_label = _("E-mail texts")
    list_display = [
        Column("kind_label", label=_("kind of e-mail")),
        Column("form", label=_("form"), accessor=form_title),
        Column("site", label=_("municipality"), accessor="site_name"),
        Column("language", label=_("language"), accessor="get_language_display"),
    ]
    list_filter = ["language"]
    ordering = ["kind", "form_page", "language"]
    edit_handler = ObjectList(
        [
            FieldPanel("kind", widget=forms.Select(choices=kind_choices)),
            FieldPanel("site"),
            FieldPanel("form_page"),
            FieldPanel("language"),
            FieldPanel("subject"),
            FieldPanel(
                "body",
                widget=forms.Textarea(attrs={"rows": 14}),
                help_text=_(
                    "Plain text. Placeholders in braces, such as {referentienummer} or "
                    "{statuslink}, are filled in when the e-mail is sent; the list below "
                    "says which ones each kind of e-mail has. For a brace itself, write "
                    "{{ or }}."
                ),
            ),
            PlaceholderHelpPanel(heading=_("Placeholders")),
        ],
        base_form_class=SiteScopedForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("form_page", "site")
