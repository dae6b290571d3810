"""Kinds of e-mail: their placeholders, audiences, languages and the registry."""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.registry import Registry
from dossiers.constants import STATUS_EXPLANATIONS, EventType, Status

if TYPE_CHECKING:
    from dossiers.models import Dossier, Event

logger = logging.getLogger(__name__)


#: Who reads a kind of e-mail.
TO_APPLICANT = "applicant"
TO_OFFICERS = "officers"


# --- placeholders ------------------------------------------------------------------------


@dataclass(frozen=True)
class Placeholder:
    """A name editors may write in braces in an e-mail text, e.g. ``{referentienummer}``.

    Names are Dutch, the editors' language, and the same in every language of the text.
    """

    #: The name between the braces.
    name: str
    #: What it stands for, listed for editors in the help text.
    description: str | Promise
    #: The value the admin preview shows when no real dossier is at hand.
    example: str | Promise


REFERENCE = Placeholder(
    "referentienummer", gettext_lazy("the reference number of the dossier"), "TER-2026-00042"
)
FORM = Placeholder("formulier", gettext_lazy("the title of the form"), "Aanvraag terrasvergunning")
STATUS = Placeholder("status", gettext_lazy("the status of the dossier"), gettext_lazy("In review"))
EXPLANATION = Placeholder(
    "uitleg",
    gettext_lazy("one line about what happens next (depends on the status)"),
    gettext_lazy("An officer is reviewing your application."),
)
STATUS_LINK = Placeholder(
    "statuslink",
    gettext_lazy("the applicant's personal link to the dossier (status page)"),
    "https://loket.example.org/dossier/00000000-0000-0000-0000-000000000000/voorbeeld/",
)
DOSSIER_LINK = Placeholder(
    "dossierlink",
    gettext_lazy("the link to the dossier in the back office"),
    "https://loket.example.org/admin/dossiers/dossier/inspect/42/",
)
DUE_DATE = Placeholder(
    "beslisdatum",
    gettext_lazy("the date by which the municipality decides (empty without a term)"),
    lazy(lambda: formats.date_format(date(2026, 7, 1), "j F Y"), str)(),
)
NAME = Placeholder("naam", gettext_lazy("the name of the applicant"), "An Peeters")
COMPANY = Placeholder("onderneming", gettext_lazy("the name of the company"), "Café De Markt")

#: Placeholders of every e-mail to the applicant.
APPLICANT_PLACEHOLDERS = (
    REFERENCE,
    FORM,
    STATUS,
    EXPLANATION,
    STATUS_LINK,
    DUE_DATE,
    NAME,
    COMPANY,
)
#: Placeholders of every e-mail to officers: the back-office link instead of the
#: applicant's personal link (which gives access as the applicant).
OFFICER_PLACEHOLDERS = (REFERENCE, FORM, STATUS, DOSSIER_LINK, DUE_DATE, NAME, COMPANY)


def dossier_admin_url(dossier: Dossier) -> str:
    """The absolute link to the dossier in the back office (for officers' e-mails)."""
    # Imported here: the back office imports the outbox, and only dossiers/admin/ knows
    # its URL names.
    from dossiers.admin.links import dossier_admin_url as admin_url

    return admin_url(dossier)


def common_values(dossier: Dossier, status: str | None = None) -> dict[str, str]:
    """The values of the placeholders every e-mail has, for ``dossier`` (plain text, in
    the active language). ``status`` is the status to tell (default: the dossier's)."""
    status = status or dossier.status
    due = dossier.decision_due
    return {
        REFERENCE.name: dossier.reference,
        FORM.name: dossier.form_title,
        STATUS.name: str(Status(status).label) if status in Status.values else status,
        EXPLANATION.name: str(STATUS_EXPLANATIONS.get(status, "")),
        STATUS_LINK.name: dossier.get_absolute_status_url(),
        DOSSIER_LINK.name: dossier_admin_url(dossier),
        DUE_DATE.name: formats.date_format(due, "j F Y") if due else "",
        NAME.name: dossier.applicant_name,
        COMPANY.name: dossier.company_name,
    }


class TextError(ValueError):
    """An editable e-mail text that cannot be filled in; the message is for the editor."""


def placeholder_names(text: str) -> list[str]:
    """The placeholders in ``text``, in order. Raises :class:`TextError` when a brace is
    not closed or not opened, or a placeholder has a format (``{naam:>10}``, ``{naam!r}``).
    ``{{`` and ``}}`` stand for a brace itself."""
    names = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise TextError(
            _(
                "A brace is not closed or not opened. Write a placeholder as {naam}; "
                "for a brace itself, write {{ or }}."
            )
        ) from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if spec or conversion:
            shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise TextError(
                _("Write the placeholder {%(placeholder)s} without anything else: {%(name)s}.")
                % {"placeholder": shown, "name": name.strip()}
            )
        names.append(name.strip())
    return names


def fill_in(text: str, values: Mapping[str, str]) -> str:
    """``text`` with its placeholders replaced by ``values``, inserted as plain text.

    Only names in ``values`` are allowed (no attributes, indexes or formats, unlike
    ``str.format``), and a value is never read as a text again, so a value that looks
    like a placeholder stays as it is. Raises :class:`TextError` for an unknown
    placeholder or a stray brace.
    """
    known = set(values)
    for name in placeholder_names(text):
        if name not in known:
            raise TextError(
                _("Unknown placeholder {%(name)s}. You can use: %(available)s.")
                % {"name": name, "available": ", ".join(f"{{{each}}}" for each in values)}
            )
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(text):
        parts.append(literal)
        if name is not None:
            value = values[name.strip()]
            parts.append("" if value is None else str(value))
    return "".join(parts)


# --- kinds -------------------------------------------------------------------------------


class NotificationKind:
    """One kind of e-mail. Subclasses are registered with ``@register``.

    Extension points: :meth:`matches` (required), :meth:`recipients`,
    :meth:`placeholders` with :attr:`extra_placeholders` (what editors may write),
    :meth:`context` (for the built-in file templates) and :meth:`language`.
    """

    #: Identifier stored on the Notification row.
    kind_id: ClassVar[str] = ""
    #: What editors see when they pick the kind of an editable e-mail text.
    label: ClassVar[str | Promise] = ""
    #: Who receives it: TO_APPLICANT (in the dossier's language) or TO_OFFICERS.
    audience: ClassVar[str] = TO_APPLICANT
    #: Whether the message is a letter to the applicant: it also goes on paper or into
    #: the eBox when the applicant (or their company) chose so, and on paper when its
    #: e-mail bounces (dossiers.correspondence.printing). A decision goes as its
    #: decision letter instead.
    is_letter: ClassVar[bool] = False
    #: Template base name of the built-in text, used when no editable text exists:
    #: ``dossiers/emails/<template>_subject.txt`` and ``_body.txt``.
    template: ClassVar[str] = ""
    #: Placeholders this kind offers on top of those of its audience
    #: (:data:`APPLICANT_PLACEHOLDERS` or :data:`OFFICER_PLACEHOLDERS`). Declare each
    #: here (editors see it in the help text, texts are checked against it when saved,
    #: the preview shows its example) and give its value in :meth:`placeholders`.
    extra_placeholders: ClassVar[tuple[Placeholder, ...]] = ()

    def matches(self, event: Event) -> bool:
        """Whether this kind of e-mail goes out for the event."""
        raise NotImplementedError

    def recipients(self, event: Event) -> list[str]:
        """The addresses to send to; default: the applicant."""
        email = event.dossier.applicant_email
        return [email] if email else []

    def language(self, event: Event) -> str:
        """The language of the e-mail: the dossier's for the applicant, the site's
        default language for officers."""
        if self.audience == TO_OFFICERS:
            return settings.LANGUAGE_CODE
        return supported_language(event.dossier.language)

    def available_placeholders(self) -> tuple[Placeholder, ...]:
        """Every placeholder an editable text of this kind may use."""
        common = OFFICER_PLACEHOLDERS if self.audience == TO_OFFICERS else APPLICANT_PLACEHOLDERS
        return common + tuple(self.extra_placeholders)

    def placeholders(self, event: Event) -> dict[str, str]:
        """The values of the placeholders for ``event``, as plain text.

        Called with the e-mail's language active. Subclasses that declare
        :attr:`extra_placeholders` extend the result::

            def placeholders(self, event):
                return {**super().placeholders(event), "bericht": event.data["text"]}

        Only names of :meth:`available_placeholders` reach the text; others are ignored.
        """
        values = common_values(event.dossier, event.to_status or None)
        names = {each.name for each in self.available_placeholders()}
        return {name: value for name, value in values.items() if name in names}

    def context(self, event: Event) -> dict:
        """The context of the built-in file templates."""
        dossier = event.dossier
        return {
            "dossier": dossier,
            "event": event,
            "status_url": dossier.get_absolute_status_url(),
            "dossier_url": dossier_admin_url(dossier),
        }


def supported_language(code: str | None) -> str:
    """``code`` as one of settings.LANGUAGES (``nl-be`` → ``nl``), else the default."""
    try:
        return translation.get_supported_language_variant(code or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def officer_recipients(dossier) -> list[str]:
    """Who hears from the applicant's side of a dossier: the officer handling it; when
    nobody handles it, the team's e-mail address, else every active member of the team.
    """
    officer = dossier.assigned_to
    if officer is not None and officer.is_active and officer.email:
        return [officer.email]
    team = dossier.team
    if team is None:
        return []
    if team.email:
        return [team.email]
    return sorted({member.email for member in team.members() if member.email})


#: Every kind of e-mail, by ``kind_id``.
kinds: Registry[NotificationKind] = Registry("notification kind", id_attribute="kind_id")

#: Class decorator that registers a kind (refuses a ``kind_id`` that is taken).
register = kinds.register


def all_kinds() -> list[NotificationKind]:
    """Every registered kind of e-mail, in registration order."""
    return kinds.all()


def get_kind(kind_id: str) -> NotificationKind | None:
    """The kind registered as ``kind_id``; None for an id no longer registered (an old
    row or text)."""
    return kinds.find(kind_id)


@register
class ApplicationReceived(NotificationKind):
    kind_id = "application_received"
    label = gettext_lazy("Application received (to the applicant)")
    template = "application_received"

    def matches(self, event):
        return event.type == EventType.SUBMITTED


#: Transitions that ask the applicant a question: their e-mail is the question's own
#: (dossiers.information.emails.InformationRequested), not the plain status change.
QUESTION_TRANSITIONS = ("request_information", "declare_incomplete")
#: Other transitions with an e-mail of their own (dossiers.routing.emails: forwarding).
#: Report transitions (dossiers.reports.emails): the reporter is e-mailed only when the
#: handling starts and when it is handled; the other changes show on the status page.
OWN_EMAIL_TRANSITIONS = (
    "forward",
    "start_handling",
    "schedule",
    "forward_to_party",
    "resolve",
    "reopen_report",
)


DECIDED = Placeholder(
    "beslissing",
    gettext_lazy("what was decided, in a sentence (empty unless the change is a decision)"),
    gettext_lazy("We have approved your application."),
)


def decided_in_words(event: Event) -> str:
    """What a deciding status change decided, as a sentence in the active language;
    empty for other changes."""
    if event.to_status == Status.APPROVED:
        return _("We have approved your application.")
    if event.to_status == Status.REJECTED:
        return _("We have refused your application.")
    return ""


@register
class StatusChanged(NotificationKind):
    kind_id = "status_changed"
    label = gettext_lazy("Status changed (to the applicant)")
    template = "status_changed"
    extra_placeholders = (DECIDED,)

    def placeholders(self, event):
        return {**super().placeholders(event), DECIDED.name: decided_in_words(event)}

    def context(self, event):
        return {**super().context(event), "decided": decided_in_words(event)}

    def matches(self, event):
        # A question to the applicant has its own e-mail (dossiers.information).
        return (
            event.type == EventType.STATUS_CHANGED
            and event.public
            and event.data.get("transition") not in QUESTION_TRANSITIONS + OWN_EMAIL_TRANSITIONS
        )


@register
class NewDossierForTeam(NotificationKind):
    """Tells the team's shared mailbox that a dossier came in that nobody has taken.

    Only for teams with an e-mail address (Team.email); members are not mailed one by
    one, they see new dossiers in their inbox and on their dashboard.
    """

    kind_id = "new_dossier_for_team"
    label = gettext_lazy("New dossier (to the team's e-mail address)")
    audience = TO_OFFICERS
    template = "new_dossier_for_team"

    def matches(self, event):
        return event.type == EventType.SUBMITTED

    def recipients(self, event):
        dossier = event.dossier
        team = dossier.team
        if team is None or not team.email or dossier.assigned_to_id is not None:
            return []
        return [team.email]


def check_text(kind_id: str, text: str) -> None:
    """Raise a ValidationError (for the editor) unless ``text`` only uses placeholders of
    the kind and its braces are balanced."""
    kind = get_kind(kind_id)
    if kind is None:
        return
    names = [each.name for each in kind.available_placeholders()]
    try:
        fill_in(text, dict.fromkeys(names, ""))
    except TextError as exc:
        raise ValidationError(str(exc), code="placeholder") from None
