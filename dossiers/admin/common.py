"""What every action on a dossier in the back office uses: finding the dossier the
officer may work on, going back to it, and the address of its files."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect

from dossiers import permissions
from dossiers.models import Attachment, Dossier


def attachment_url(model_admin, attachment: Attachment) -> str:
    """The back-office download address of one file of a dossier."""
    return model_admin.url_helper.get_action_url("attachment", attachment.dossier_id, attachment.pk)


def dossier_for(request, model_admin, instance_pk) -> Dossier:
    """The dossier an action is about, if the user may work on it."""
    dossier = get_object_or_404(Dossier.objects.select_related("team"), pk=instance_pk)
    if not permissions.can_view(request.user, dossier):
        raise PermissionDenied
    return dossier


def back_to(model_admin, dossier):
    """Back to the dossier's page in the back office."""
    return redirect(model_admin.url_helper.get_action_url("inspect", dossier.pk))
