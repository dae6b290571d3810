"""Editable e-mail texts: placeholders filled in (never the template engine), checks
when an editor saves a text, rendering and previews."""

from __future__ import annotations

import logging

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from core.mail import render_plain_text, render_subject
from dossiers.models import Dossier, Event, NotificationTemplate
from dossiers.outbox.kinds import (
    STATUS_LINK,
    NotificationKind,
    Placeholder,
    TextError,
    all_kinds,
    common_values,
    fill_in,
    get_kind,
)

logger = logging.getLogger(__name__)


# --- editable texts ------------------------------------------------------------------------


def editable_text(kind_id: str, form_page_id: int | None, language: str, site_id=None):
    """The most specific editable text: for this form, else the municipality's
    (``site_id``) for every form, else the shared one (None when there is none)."""
    from dossiers.models.decision import specificity

    forms = Q(form_page__isnull=True) & (Q(site__isnull=True) | Q(site=site_id))
    if form_page_id:
        forms |= Q(form_page=form_page_id)
    candidates = NotificationTemplate.objects.filter(forms, kind=kind_id, language=language)
    return min(candidates, key=specificity, default=None)


def render(kind: NotificationKind, event: Event) -> tuple[str, str]:
    """The subject and body of ``kind`` for ``event``, in the kind's language."""
    dossier = event.dossier
    language = kind.language(event)
    with translation.override(language):
        text = editable_text(kind.kind_id, dossier.form_page_id, language, dossier.site_id)
        if text is not None:
            values = kind.placeholders(event)
            try:
                return fill_in(text.subject, values), fill_in(text.body, values)
            except TextError:
                # A text saved before a placeholder went away: the built-in text goes out.
                logger.warning(
                    "E-mail text %s cannot be filled in; using the built-in text",
                    text.pk,
                    exc_info=True,
                )
        context = kind.context(event)
        # Plain text: no HTML escaping of a form's title or a message (core.mail).
        subject = render_subject(f"dossiers/emails/{kind.template}_subject.txt", context)
        body = render_plain_text(f"dossiers/emails/{kind.template}_body.txt", context)
    return subject, body


def preview(text: NotificationTemplate, user=None) -> dict:
    """What an editable text looks like when sent (for the admin preview).

    Filled in with a recent dossier of the text's form that ``user`` may see in the back
    office, else with made-up examples. The applicant's personal link is never shown:
    the example link stands in for it. Raises :class:`TextError`.
    """
    from dossiers import permissions

    kind = get_kind(text.kind)
    if kind is None:
        raise TextError(_("Choose the kind of e-mail."))
    placeholders = kind.available_placeholders()
    dossiers = Dossier.objects.select_related("form_page").order_by("-submitted_at")
    if text.form_page_id:
        dossiers = dossiers.filter(form_page=text.form_page_id)
    dossier = None
    if user is not None and user.is_authenticated:
        dossier = permissions.visible_dossiers(user, dossiers).first()
    with translation.override(text.language):
        values = {each.name: str(each.example) for each in placeholders}
        if dossier is not None:
            real = common_values(dossier)
            real.pop(STATUS_LINK.name)
            values.update((name, value) for name, value in real.items() if name in values)
        return {
            "kind": kind,
            "language": text.language,
            "subject": " ".join(fill_in(text.subject, values).split()),
            "body": fill_in(text.body, values),
            "dossier": dossier,
        }


def placeholder_help() -> list[tuple[str, list[Placeholder]]]:
    """The placeholders per kind of e-mail, for the editors' help text."""
    return [(str(kind.label), list(kind.available_placeholders())) for kind in all_kinds()]
