"""Template tags of the outbox, for the admin's preview of an editable e-mail text."""

from django import template

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
