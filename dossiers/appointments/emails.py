"""The e-mail that invites an applicant to book a time about their dossier: a kind of
the dossier outbox, registered on import (DossiersConfig.ready())."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy

from dossiers.constants import EventType
from dossiers.models import AppointmentInvitation
from dossiers.outbox import kinds as email_kinds

LINK = email_kinds.Placeholder(
    "afspraaklink",
    gettext_lazy("the link to choose a time (works only in this e-mail)"),
    "https://loket.voorbeeld.be/afspraak/uitnodiging/…/",
)
KIND = email_kinds.Placeholder(
    "soort_afspraak", gettext_lazy("the kind of appointment"), "Uw vergunning bespreken"
)


def _link(event) -> str:
    path = getattr(event, "invitation_link", "")
    return settings.LOKET_BASE_URL.rstrip("/") + path if path else ""


@email_kinds.register
class AppointmentInvited(email_kinds.NotificationKind):
    """To the applicant: choose a time with the officer. The link's key is not stored
    (only its hash): the service puts the link on the event object it hands to the
    outbox in the same transaction, and the e-mail is written then."""

    kind_id = "appointment_invitation"
    label = gettext_lazy("Invitation to make an appointment (to the applicant)")
    template = "appointment_invitation"
    extra_placeholders = (LINK, KIND)

    def matches(self, event):
        return event.type == EventType.APPOINTMENT_INVITED

    def recipients(self, event):
        return super().recipients(event) if _link(event) else []

    def context(self, event):
        context = super().context(event)
        invitation = (
            AppointmentInvitation.objects.select_related("appointment_type", "officer")
            .filter(pk=(event.data or {}).get("invitation"), dossier_id=event.dossier_id)
            .first()
        )
        context.update(invitation=invitation, invitation_url=_link(event))
        return context

    def placeholders(self, event):
        values = super().placeholders(event)
        values[LINK.name] = _link(event)
        values[KIND.name] = (event.data or {}).get("appointment_type", "")
        return values
