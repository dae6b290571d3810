"""Template tags of the outbox, for the admin's previews of an editable e-mail text and
of a decision letter's template."""

from django import template
from django.utils.safestring import mark_safe

from dossiers.outbox.letters import example_letter_html
from dossiers.outbox.texts import TextError, preview

register = template.Library()


@register.simple_tag(takes_context=True)
def email_preview(context, text) -> dict:
    """``{"email": ...}`` as :func:`dossiers.outbox.texts.preview` fills ``text`` in for
    the signed-in editor, or ``{"error": ...}`` when it cannot be filled in yet.

    The preview asks the outbox here, in the template, so that the NotificationTemplate
    model does not import the outbox that imports it."""
    request = context.get("request")
    try:
        return {"email": preview(text, getattr(request, "user", None))}
    except TextError as exc:
        return {"error": str(exc)}


@register.simple_tag
def letter_preview(letter_template) -> str:
    """The whole letter ``letter_template`` makes for a made-up approval (HTML drawn by
    the letter's own template, every value escaped there)."""
    return mark_safe(example_letter_html(letter_template))  # noqa: S308
