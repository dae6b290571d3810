"""Use cases of the dossier app: what applicants and officers do with dossiers.

Views, admin actions, the form wizard and tasks call these functions; they call the
models and :mod:`dossiers.workflow`. Keep this module small: one function per use case.
"""

from __future__ import annotations

import datetime
import hmac
import logging
from decimal import Decimal

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads
from core.storage import private_storage
from dossiers import form_figures, permissions
from dossiers.constants import EventType, Status
from dossiers.exceptions import ActionRefused, ConcurrentChange
from dossiers.models import (
    Attachment,
    Dossier,
    Event,
    MunicipalitySettings,
    ReferenceCounter,
    Team,
)
from dossiers.models.municipality import site_of_form
from dossiers.payments import prepayment
from dossiers.portal import confirmation, vouched
from dossiers.portal.identity import current_identity
from dossiers.reports import services as reports
from dossiers.routing import services as routing
from dossiers.submitted import announce_submission
from forms_builder.models import FormSnapshot, TermStart
from forms_builder.procedure import procedure_and_lateness
from forms_builder.schema import freeze_schema, mapped_values
from forms_builder.stages import COMPLETENESS, REPORT
from forms_builder.submission import Submission, SubmitHandler, SubmittedFile, calculated

logger = logging.getLogger(__name__)


def make_reference(prefix: str, year: int, site=None) -> str:
    """The next reference number for a form prefix and year, e.g. ``TER-2026-00001``;
    after the code of the municipality ``site`` when it has one (``ANZ-TER-2026-00001``:
    every municipality numbers its own dossiers)."""
    code = MunicipalitySettings.for_site(site).reference_code if site is not None else ""
    if code:
        prefix = f"{code}-{prefix}"
    number = ReferenceCounter.next_number(prefix, year)
    return f"{prefix}-{year}-{number:05d}"


def _serving(site, *teams: Team | None) -> Team | None:
    """The first of ``teams`` that serves ``site``: a team never gets dossiers of a
    municipality it does not serve. None when none does (then only administrators see
    the dossier, and give it to a team)."""
    for team in teams:
        if team is not None and site is not None and team.serves(site):
            return team
    if any(teams):
        logger.warning("No team of the form serves site %s: dossier left without team", site)
    return None


@transaction.atomic
def submit_application(
    *,
    form_page,
    answers: dict,
    snapshot: FormSnapshot | None = None,
    schema: dict | None = None,
    files: list[SubmittedFile] | tuple = (),
    language: str = "nl",
    proven_email: str = "",
    calculations: dict | None = None,
    amount_due: Decimal | None = None,
    procedure: dict | None = None,
    late: bool | None = None,
    vouched_identity: dict | None = None,
) -> Dossier:
    """Turn a completed form into a Dossier, in one transaction.

    Stores the form version the applicant filled in: ``snapshot``, which the wizard
    froze when the applicant started, or else ``schema`` (demo data, imports and tests),
    frozen here (one snapshot per distinct schema). Takes a reference number, copies
    the applicant and company details from the fields the editor marked, gives it to
    the team the form's routing rules choose (an internal ``team_changed`` event when a
    rule chose; :mod:`dossiers.routing`), turns the uploaded ``files`` into the
    dossier's attachments, writes the public ``submitted`` event and queues the
    confirmation e-mail (:func:`announce_submission`). A form with the stage "payment
    when submitting" and a fee is not sent yet: the dossier awaits payment with a
    payment request of the fee, and is announced once paid
    (:mod:`dossiers.payments.prepayment`). The caller deletes the draft's copies of
    the files afterwards.

    The applicant's e-mail address counts as proven (the dossier joins that address's
    Mijn loket) when it is ``proven_email``, the address the applicant was signed in
    with; otherwise a one-time confirmation link is e-mailed to it with the other
    e-mails (:mod:`dossiers.portal.confirmation`). ``vouched_identity``: what a sign-in proved.

    ``calculations`` and ``amount_due`` are what the wizard computed on the server
    (:class:`~forms_builder.submission.Submission`); without them (demo data, imports)
    they are computed here from ``answers`` the same way.

    ``procedure`` is the outcome that changes the procedure
    (:mod:`forms_builder.procedure`): its reference prefix, team and decision term
    replace the form's (those it leaves empty stay the form's) and its title is the
    dossier's ``procedure``. ``late``: a lead time was not met and the form accepts the
    application marked late. When ``late`` is None (demo data, imports) both are worked
    out here from ``answers``.
    """
    if snapshot is None:
        if schema is None:
            raise TypeError("submit_application() needs a snapshot or a schema")
        snapshot = freeze_schema(schema, page=form_page)
    schema = snapshot.schema
    if late is None:
        procedure, late = procedure_and_lateness(schema, answers)
    if calculations is None:
        calculations, amount_due = calculated(schema, answers, late=late)
    procedure = procedure or {}
    now = timezone.now()
    mapped = mapped_values(schema, answers)
    applicant_email = str(mapped.get("applicant_email", ""))[:254]
    term = procedure.get("decision_term_days") or getattr(form_page, "decision_term_days", None)
    prefix = procedure.get("reference_prefix") or form_page.reference_prefix
    stages = list(getattr(form_page, "stages", None) or [])
    # The term waits for completeness only when the form checks completeness.
    from_completeness = (
        getattr(form_page, "term_starts", "") == TermStart.COMPLETE and COMPLETENESS in stages
    )
    # The form's routing rules may give the application to another team; an outcome
    # that changes the procedure names its own team, which goes first.
    team, routed = routing.team_at_submission(form_page, schema, answers)
    if str(procedure.get("team") or "").isdigit():
        chosen = Team.objects.filter(pk=int(procedure["team"])).first()
        if chosen is not None:
            team, routed = chosen, False
    site = site_of_form(form_page)
    chosen_team = team
    team = _serving(site, chosen_team, getattr(form_page, "team", None))
    routed = routed and team is not None and team == chosen_team
    dossier = Dossier.objects.create(
        reference=make_reference(prefix, timezone.localdate(now).year, site),
        form_page=form_page,
        site=site,
        form_title=schema["title"],
        snapshot=snapshot,
        answers=answers,
        calculations=calculations,
        amount_due=amount_due,
        language=(language or "nl")[:10],
        applicant_name=str(mapped.get("applicant_name", ""))[:255],
        applicant_email=applicant_email,
        email_verified_at=now if confirmation.proves(proven_email, applicant_email) else None,
        applicant_phone=str(mapped.get("applicant_phone", ""))[:50],
        company_name=str(mapped.get("company_name", ""))[:255],
        enterprise_number=str(mapped.get("enterprise_number", ""))[:20],
        **vouched.dossier_fields(vouched_identity),
        team=team,
        procedure=str(procedure.get("title") or "")[:255],
        late=bool(late),
        submitted_at=now,
        # The lifecycle's first status (dossiers.workflow changes it from here on):
        # a form paid when submitting waits for the payment (dossiers.payments.prepayment).
        status=(
            Status.AWAITING_PAYMENT
            if prepayment.needed(stages, amount_due, site)
            else Status.REPORTED
            if REPORT in stages
            else Status.SUBMITTED
        ),
        stages=stages,
        term_days=term or None,
        term_from_completeness=from_completeness,
        decision_due=(
            timezone.localdate(now) + datetime.timedelta(days=term)
            if term and not from_completeness
            else None
        ),
    )
    for submitted in files:
        add_attachment_from_storage(dossier, submitted)
    if routed:
        routing.record_routing(dossier, getattr(form_page, "team", None))
    if dossier.status == Status.AWAITING_PAYMENT:
        # Sent once paid (dossiers.payments.prepayment.submit_when_paid).
        prepayment.ask_fee(dossier)
        return dossier
    announce_submission(dossier)
    if REPORT in stages:
        # A report from a resident: kept with its category and place, and routed.
        reports.file_report(dossier)
    return dossier


def add_attachment_from_storage(dossier: Dossier, submitted: SubmittedFile) -> Attachment:
    """Copy a file from the private storage into the dossier's attachments."""
    storage = private_storage()
    attachment = Attachment(
        dossier=dossier,
        original_name=submitted.name[:255],
        size=submitted.size,
        content_type=submitted.content_type[:100],
        step_id=submitted.step_id,
        field_name=submitted.field_name,
    )
    with storage.open(submitted.storage_name) as handle:
        attachment.file.save(uploads.storage_name(submitted.name), File(handle), save=False)
    attachment.save()
    return attachment


def count_dossiers_for_form(form_page) -> int:
    """How many dossiers were submitted through ``form_page`` (for its maximum)."""
    return Dossier.objects.filter(form_page=form_page).count()


def get_dossier_for_confirmation(pk) -> Dossier | None:
    """The dossier just submitted in this session (for the confirmation page)."""
    return Dossier.objects.filter(pk=pk).first()


class DossierSubmitHandler(SubmitHandler):
    """Every finished application becomes a Dossier. ``DossiersConfig.ready()``
    registers this handler, so forms_builder never imports dossiers."""

    handler_id = "dossiers"

    def submit(self, submission: Submission) -> int:
        return submit_application(
            form_page=submission.form_page,
            snapshot=submission.snapshot,
            answers=submission.answers,
            files=submission.files,
            language=submission.language,
            proven_email=submission.proven_email,
            vouched_identity=submission.vouched_identity,
            calculations=submission.calculations,
            amount_due=submission.amount_due,
            procedure=submission.procedure,
            late=submission.late,
        ).pk

    def submitted(self, submitted_id: int) -> Dossier | None:
        return get_dossier_for_confirmation(submitted_id)

    def count_submitted(self, form_page) -> int:
        return count_dossiers_for_form(form_page)

    def form_figures(self, form_page, period):
        """Statuses, decisions and ratings for the form's statistics."""
        return form_figures.form_figures(form_page, period)

    def team_choices(self) -> list[tuple[int, str]]:
        """Every team, by name: an outcome of a form can send applications to it."""
        return list(Team.objects.order_by("name").values_list("pk", "name"))

    def pays_before_sending(self, form_page, amount_due) -> bool:
        """The stage "payment when submitting", a fee and a payment provider."""
        return prepayment.needed(
            getattr(form_page, "stages", None), amount_due, site_of_form(form_page)
        )

    def applicant_email(self, request) -> str:
        """The e-mail address of the applicant signed in to Mijn loket (verified)."""
        identity = current_identity(request)
        return identity.email if identity is not None else ""

    def vouched_identity(self, request) -> dict:  # see dossiers.portal.vouched
        return vouched.from_request(request)


def get_dossier_by_link(public_id, key: str) -> Dossier | None:
    """The dossier behind a status-page link, or None. The key is compared in constant
    time, so response times reveal nothing about it."""

    dossier = Dossier.objects.select_related("snapshot").filter(public_id=public_id).first()
    # Compared as bytes: compare_digest refuses str with non-ASCII characters, and the
    # key comes from the URL, where anyone can type them.
    if dossier is None or not hmac.compare_digest(dossier.access_key.encode(), str(key).encode()):
        return None
    return dossier


def public_events(dossier: Dossier):
    """The timeline the applicant sees: public events only, oldest first."""
    return dossier.events.filter(public=True).order_by("created_at", "pk")


# --- the officer's work ----------------------------------------------------------------

#: ``expected_assignee`` when the caller does not know who had the dossier.
UNKNOWN = object()


def person_name(user) -> str:
    """How a user is named to others: full name, else user name ("" for nobody)."""
    return (user.get_full_name() or user.get_username()) if user is not None else ""


@transaction.atomic
def assign(dossier: Dossier, assignee, *, actor, expected_assignee=UNKNOWN) -> Dossier:
    """Give ``dossier`` to ``assignee``, an officer of its team (None: to nobody).

    ``actor`` must be allowed to (see :func:`dossiers.permissions.can_assign`).
    ``expected_assignee`` is the officer the actor saw on the dossier (None: nobody);
    when someone else changed it meanwhile, :class:`ConcurrentChange` is raised and
    nothing changes. Writes an internal ``assigned`` event; the status does not change.
    """
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    previous = locked.assigned_to
    if expected_assignee is not UNKNOWN and locked.assigned_to_id != getattr(
        expected_assignee, "pk", expected_assignee
    ):
        raise ConcurrentChange(
            _("Someone else changed this dossier in the meantime. Look at it again.")
        )
    if not permissions.can_assign(actor, locked, assignee):
        raise ActionRefused(_("You may not give this dossier to someone else."))
    if assignee is not None and (
        locked.team is None or not locked.team.members().filter(pk=assignee.pk).exists()
    ):
        raise ActionRefused(_("Only an officer of the team can handle this dossier."))
    locked.assigned_to = assignee
    locked.save(update_fields=["assigned_to", "updated_at"])
    Event.objects.create(
        dossier=locked,
        type=EventType.ASSIGNED,
        actor=actor,
        public=False,
        data={
            "assignee": getattr(assignee, "pk", None),
            "assignee_name": person_name(assignee),
            "previous": getattr(previous, "pk", None),
            "previous_name": person_name(previous),
        },
    )
    return locked


def add_note(dossier: Dossier, text: str, *, author) -> Event:
    """Add an internal note to the dossier's timeline (officers only, never public)."""
    text = (text or "").strip()
    if not text:
        raise ActionRefused(_("Write the note first."))
    if not permissions.can_view(author, dossier):
        raise ActionRefused(_("You may not add notes to this dossier."))
    if dossier.personal_data_erased_at:
        # A note is free text about the person: it would bring back what was erased.
        raise ActionRefused(
            _("The personal data of this dossier were erased: notes can no longer be added.")
        )
    return Event.objects.create(
        dossier=dossier, type=EventType.NOTE_ADDED, actor=author, public=False, data={"text": text}
    )


def record_view(dossier: Dossier, *, officer) -> Event:
    """Log that an officer opened the dossier (audit; never public)."""
    return Event.objects.create(dossier=dossier, type=EventType.VIEWED, actor=officer)


def open_attachment(attachment: Attachment, *, officer):
    """Open an attachment's file for an officer and log the download (audit).

    The file is opened first, so a missing file is not logged as downloaded.
    """
    if not permissions.can_view(officer, attachment.dossier):
        raise ActionRefused(_("You may not open the files of this dossier."))
    handle = attachment.file.open("rb")
    Event.objects.create(
        dossier_id=attachment.dossier_id,
        type=EventType.ATTACHMENT_DOWNLOADED,
        actor=officer,
        public=False,
        data={"attachment": attachment.pk, "name": attachment.original_name},
    )
    return handle
