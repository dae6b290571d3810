"""The message thread in the officer's dossier view, and the action that sends a message.

Request handling only; the work is in :mod:`dossiers.messages.services`. The section is
``dossiers/admin/messages.html`` in the dossier view; the form posts to the ``message``
action (registered in ``options.py``) and comes back to the dossier with a message, like
every other action. What the officer typed is kept when sending fails.
"""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers.admin import common
from dossiers.constants import Sender
from dossiers.exceptions import ActionRefused
from dossiers.messages import forms as message_forms
from dossiers.messages import services as messaging
from dossiers.models import Dossier, Rating


def _draft_key(dossier_pk) -> str:
    return f"loket-message-draft-{dossier_pk}"


def thread_context(request, dossier: Dossier, attachment_url) -> dict:
    """The dossier view's context for the "Messages" section and the rating; marks the
    applicant's messages read (they stay marked as new on this page view).

    ``attachment_url(attachment)`` gives a file's download address in the back office.
    """
    thread = messaging.thread(dossier)
    for message in thread:
        for attachment in message.attached:
            attachment.download_url = attachment_url(attachment)
    unread = [m for m in thread if m.sender == Sender.APPLICANT and m.read_at is None]
    messaging.mark_read(thread, reader=Sender.MUNICIPALITY)
    return {
        "thread": thread,
        "unread_messages": unread,
        "can_send_messages": messaging.can_send_messages(dossier),
        "messages_closed_text": messaging.closed_text(dossier),
        "message_token": message_forms.new_token(),
        "message_draft": request.session.pop(_draft_key(dossier.pk), ""),
        "message_files_field": message_forms.files_form_field(),
        "rating": Rating.objects.filter(dossier=dossier).first(),
    }


@require_POST
def message_view(request, model_admin, instance_pk):
    """Send a message to the applicant."""
    dossier = common.dossier_for(request, model_admin, instance_pk)
    body = request.POST.get("body", "")
    try:
        messaging.send_from_officer(
            dossier,
            request.user,
            body,
            request.FILES.getlist("files"),
            token=request.POST.get("token", ""),
        )
    except ActionRefused as exc:
        request.session[_draft_key(dossier.pk)] = body[: message_forms.MAX_BODY_LENGTH]
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your message was sent. The applicant gets an e-mail."))
    return common.back_to(model_admin, dossier)
