"""The dossier's appointments in the back office: the invitations an officer sent, the
appointments booked about the dossier, and inviting the applicant to book a time with
the officer (``dossiers.appointments.invitations``)."""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers import permissions
from dossiers.admin import common
from dossiers.appointments import invitations
from dossiers.constants import OFFICER
from dossiers.exceptions import ActionRefused
from dossiers.models import Dossier


def inspect_context(view, dossier: Dossier) -> dict:
    """``appointment_invitations``, ``dossier_appointments``, the kinds of appointment the
    officer takes (``invitable_types``) and whether they may invite."""
    user = view.request.user
    return {
        "appointment_invitations": list(
            dossier.appointment_invitations.select_related(
                "appointment_type", "officer", "appointment"
            )
        ),
        "dossier_appointments": list(
            dossier.appointments.select_related("appointment_type", "officer", "desk").order_by(
                "-starts_at"
            )
        ),
        "invitable_types": invitations.types_for(user, dossier),
        "can_invite": OFFICER in permissions.roles_on(user, dossier) and dossier.is_open,
    }


@require_POST
def invitation_view(request, model_admin, instance_pk):
    """Invite the applicant to book a time of the chosen kind with this officer."""
    dossier = common.dossier_for(request, model_admin, instance_pk)
    if OFFICER not in permissions.roles_on(request.user, dossier):
        messages.error(request, _("You may not do this for this dossier."))
        return common.back_to(model_admin, dossier)
    chosen = request.POST.get("appointment_type") or ""
    appointment_type = next(
        (t for t in invitations.types_for(request.user, dossier) if str(t.pk) == chosen), None
    )
    if appointment_type is None:
        messages.error(request, _("Choose a kind of appointment that you take."))
        return common.back_to(model_admin, dossier)
    try:
        invitations.invite(
            dossier, request.user, appointment_type, (request.POST.get("message") or "")[:2000]
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The applicant gets an e-mail to choose a time with you."))
    return common.back_to(model_admin, dossier)
