"""The outbox: notifications are rows written with their event, sent by a Celery task.

Each kind of notification is one registered :class:`NotificationKind`: which events it
answers, who receives it, in which language, and what it says. Rendering happens when
the row is written (in the recipient's language), so what is sent is exactly what was
decided in the transaction; sending happens after commit, by :func:`deliver`.

What an e-mail says comes from the most specific editable text
(:class:`~dossiers.models.NotificationTemplate`, a snippet): the one for this kind,
this form and this language, else the one for this kind, every form and this language,
else the built-in file templates ``dossiers/emails/<template>_subject.txt`` and
``_body.txt``. Editable texts are plain text with placeholders in braces, such as
``{referentienummer}``; they are filled in by :func:`fill_in`, never by the Django
template engine, so an editor's text cannot reach anything but the placeholders' values.

Adding a kind in another module::

    @register
    class InformationRequested(NotificationKind):
        kind_id = "information_requested"
        label = _("Information requested (to the applicant)")
        template = "information_requested"  # the built-in text
        extra_placeholders = (
            Placeholder("vraag", _("the question of the municipality"), _("Which colour ...?")),
        )

        def matches(self, event):
            return event.type == EventType.STATUS_CHANGED and event.to_status == ...

        def placeholders(self, event):
            return {**super().placeholders(event), "vraag": event.data.get("question", "")}
"""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .constants import STATUS_EXPLANATIONS, EventType, NotificationStatus, Status
from .models import Dossier, Event, Notification, NotificationTemplate

logger = logging.getLogger(__name__)

#: Statuses whose status-change e-mail carries the decision letter.
DECISION_STATUSES = (Status.APPROVED, Status.REJECTED)

#: After this many failed attempts a notification is marked failed (and shown so).
MAX_ATTEMPTS = 8
#: The wait before the first retry; each next retry waits twice as long
#: (30 s, 1 min, 2 min, ... about 2 hours over all attempts).
RETRY_BASE_SECONDS = 30


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
    """The absolute link to the dossier in the back office."""
    path = reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


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


_kinds: dict[str, NotificationKind] = {}


def register(cls: type[NotificationKind]) -> type[NotificationKind]:
    _kinds[cls.kind_id] = cls()
    return cls


def all_kinds() -> list[NotificationKind]:
    """Every registered kind of e-mail, in registration order."""
    return list(_kinds.values())


def get_kind(kind_id: str) -> NotificationKind | None:
    return _kinds.get(kind_id)


@register
class ApplicationReceived(NotificationKind):
    kind_id = "application_received"
    label = gettext_lazy("Application received (to the applicant)")
    template = "application_received"

    def matches(self, event):
        return event.type == EventType.SUBMITTED


@register
class StatusChanged(NotificationKind):
    kind_id = "status_changed"
    label = gettext_lazy("Status changed (to the applicant)")
    template = "status_changed"

    def matches(self, event):
        # A question to the applicant has its own e-mail (dossiers.information).
        return (
            event.type == EventType.STATUS_CHANGED
            and event.public
            and event.data.get("transition") != "request_information"
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


# --- editable texts ------------------------------------------------------------------------


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


def editable_text(kind_id: str, form_page_id: int | None, language: str):
    """The most specific editable text: for this form, else for every form (None when
    there is neither)."""
    forms = Q(form_page__isnull=True)
    if form_page_id:
        forms |= Q(form_page=form_page_id)
    candidates = NotificationTemplate.objects.filter(forms, kind=kind_id, language=language)
    return min(candidates, key=lambda text: text.form_page_id is None, default=None)


def render(kind: NotificationKind, event: Event) -> tuple[str, str]:
    """The subject and body of ``kind`` for ``event``, in the kind's language."""
    dossier = event.dossier
    language = kind.language(event)
    with translation.override(language):
        text = editable_text(kind.kind_id, dossier.form_page_id, language)
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
        subject = render_to_string(f"dossiers/emails/{kind.template}_subject.txt", context)
        body = render_to_string(f"dossiers/emails/{kind.template}_body.txt", context)
    return subject, body


def preview(text: NotificationTemplate, user=None) -> dict:
    """What an editable text looks like when sent (for the admin preview).

    Filled in with a recent dossier of the text's form that ``user`` may see in the back
    office, else with made-up examples. The applicant's personal link is never shown:
    the example link stands in for it. Raises :class:`TextError`.
    """
    from . import permissions

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


# --- the outbox ------------------------------------------------------------------------------


def queue_for_event(event: Event) -> list[Notification]:
    """Write the notifications that ``event`` causes and send them after commit.

    Must run inside the transaction that wrote the event: the rows commit or roll back
    with it.
    """
    created = []
    dossier = event.dossier
    for kind in _kinds.values():
        if not kind.matches(event):
            continue
        recipients = kind.recipients(event)
        if not recipients:
            continue
        subject, body = render(kind, event)
        for recipient in recipients:
            created.append(
                Notification.objects.create(
                    dossier=dossier,
                    event=event,
                    kind=kind.kind_id,
                    recipient=recipient,
                    subject=" ".join(subject.split())[:255],
                    body=body,
                )
            )
    if created:
        ids = [notification.pk for notification in created]
        transaction.on_commit(lambda: [enqueue(pk) for pk in ids])
    return created


def enqueue(notification_id: int) -> None:
    """Hand a notification to Celery. A broker that is down only delays it.

    The row stays pending; ``send_pending_notifications`` (periodic) sends it later.
    """
    from cms.celery import queue

    from .tasks import send_notification

    queue(send_notification, notification_id)


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failed attempt (1, 2, ...)."""
    return RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


def due_for_sweep(now=None, min_age_seconds: int = 60):
    """Pending notifications the periodic sweep should hand to Celery again.

    A row never tried is due ``min_age_seconds`` after it was written (its own task had
    the time to send it); a row that failed is due at its ``next_attempt_at``, so the
    sweep never tries a failing address sooner than the task's own backoff would.
    """
    now = now or timezone.now()
    due = Q(next_attempt_at__isnull=True, created_at__lte=now - timedelta(seconds=min_age_seconds))
    due |= Q(next_attempt_at__lte=now)
    return Notification.objects.filter(due, status=NotificationStatus.PENDING).order_by(
        "created_at", "pk"
    )


def decision_letter_for(notification_id: int):
    """The decision letter a pending notification must carry, made now if missing.

    A status-change notification about an approval or rejection carries the letter of
    the dossier's decision; every other notification carries none (None). Making the
    letter may fail (WeasyPrint): the exception is raised.
    """
    from .letters import ensure_decision_letter

    notification = (
        Notification.objects.select_related("event")
        .filter(pk=notification_id, status=NotificationStatus.PENDING)
        .first()
    )
    event = notification.event if notification else None
    if (
        event is None
        or notification.kind != StatusChanged.kind_id
        or event.to_status not in DECISION_STATUSES
    ):
        return None
    return ensure_decision_letter(notification.dossier_id)


class DeliveryFailed(Exception):
    """Sending a notification failed; it stays pending and may be tried again."""


def deliver(notification_id: int) -> bool:
    """Send one notification unless it was sent already. Returns True when it sent now.

    The row is locked while sending, so two workers never send the same notification.
    Every try counts as an attempt, also when the decision letter it carries could not
    be made. A failure is recorded on the row; while attempts are left it raises
    :class:`DeliveryFailed` so the caller retries; the last failed attempt marks the row
    failed (and says so on the dossier's timeline) and returns False.
    """
    letter, problem = None, None
    try:
        # Made outside the row's lock: it takes a while and locks the dossier itself.
        letter = decision_letter_for(notification_id)
    except Exception as exc:  # noqa: BLE001 - counted as a failed attempt below
        problem = exc
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("dossier")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.status != NotificationStatus.PENDING:
            return False
        notification.attempts += 1
        if problem is None:
            try:
                send(notification, letter)
            except Exception as exc:  # noqa: BLE001 - recorded below
                problem = exc
        if problem is None:
            notification.status = NotificationStatus.SENT
            notification.sent_at = timezone.now()
            notification.last_error = ""
            notification.next_attempt_at = None
            Event.objects.create(
                dossier=notification.dossier,
                type=EventType.NOTIFICATION_SENT,
                data={"notification": notification.pk, "kind": notification.kind},
            )
        else:
            notification.last_error = f"{type(problem).__name__}: {problem}"[:2000]
            notification.next_attempt_at = timezone.now() + timedelta(
                seconds=retry_delay(notification.attempts)
            )
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = NotificationStatus.FAILED
                notification.next_attempt_at = None
                Event.objects.create(
                    dossier=notification.dossier,
                    type=EventType.NOTIFICATION_FAILED,
                    data={"notification": notification.pk, "kind": notification.kind},
                )
        notification.save(
            update_fields=["attempts", "last_error", "next_attempt_at", "status", "sent_at"]
        )
    if problem is None:
        return True
    if notification.status == NotificationStatus.FAILED:
        logger.error(
            "Notification %s failed after %s attempts: %s",
            notification_id,
            notification.attempts,
            notification.last_error,
        )
        return False
    raise DeliveryFailed(notification.last_error) from problem


def send(notification: Notification, letter=None) -> None:
    """Send the e-mail of ``notification`` (with the decision letter, if any)."""
    message = EmailMessage(
        subject=notification.subject, body=notification.body, to=[notification.recipient]
    )
    if letter is not None:
        with letter.file.open("rb") as handle:
            message.attach(letter.original_name, handle.read(), "application/pdf")
    message.send()


def outbox_of(dossier: Dossier) -> list[Notification]:
    """Every e-mail of the dossier with its delivery state, oldest first (one query),
    each with ``kind_label`` for the back office."""
    rows = list(dossier.notifications.all())
    for row in rows:
        kind = get_kind(row.kind)
        row.kind_label = kind.label if kind else row.kind
    return rows
