"""Where a finished application goes: the submit handler, an extension point.

``forms_builder`` knows how to build a form and let an applicant fill it in; it does not
know what happens to the answers afterwards, and it imports nothing of the app that
does. When the applicant sends the check-your-answers page, the wizard wraps
everything in one :class:`Submission` and calls :func:`submit`, which hands it to the
one registered :class:`SubmitHandler`. The ``dossiers`` app registers its handler in
``DossiersConfig.ready()`` (``dossiers.services.DossierSubmitHandler``: the submission
becomes a Dossier).

Besides taking submissions, the handler answers the few questions the form side asks
about what it made of them, so those need no import of ``dossiers`` either:

- :meth:`SubmitHandler.submitted`: what the confirmation page shows (reference number,
  status page link);
- :meth:`SubmitHandler.count_submitted`: how many submissions a form received, for its
  maximum (``ApplicationFormPage.max_dossiers``);
- :meth:`SubmitHandler.form_figures`: what became of a form's submissions in a period,
  for the form's statistics (:mod:`forms_builder.statistics`);
- :meth:`SubmitHandler.applicant_email`: the verified e-mail address of the applicant
  signed in on this request, so a draft they start is listed in their account. The
  account ("Mijn loket") belongs to the same app as the submissions it lists.

Exactly one handler must be registered; the system check
:func:`check_submit_handler` (``forms_builder.E001``) says so at start-up, and
:func:`get_submit_handler` raises ``ImproperlyConfigured`` when it is called anyway.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from core.registry import Registry

from . import calculations, conditions

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import ApplicationFormPage, FormSnapshot
    from .statistics.figures import DossierFigures, Period


@dataclass(frozen=True)
class SubmittedFile:
    """A file uploaded with a form, still in the draft's private storage."""

    step_id: str
    field_name: str
    #: Its name in the private storage.
    storage_name: str
    name: str
    size: int
    content_type: str


@dataclass(frozen=True)
class Submission:
    """A finished application, as the wizard hands it over.

    The schema is frozen once, when the applicant started (the draft's
    :class:`~forms_builder.models.FormSnapshot`); a handler stores that snapshot and
    never freezes the schema again.
    """

    #: The ApplicationFormPage that was filled in.
    form_page: ApplicationFormPage
    #: The form version the applicant filled in.
    snapshot: FormSnapshot
    #: ``{step_id: {field name: stored JSON value}}`` of the visible steps only.
    answers: dict[str, dict[str, Any]]
    #: The uploaded files, still in the draft's private storage.
    files: tuple[SubmittedFile, ...] = ()
    #: The language the applicant used (``get_language()`` of the request), for the
    #: e-mails and letters they get.
    language: str = "nl"
    #: The e-mail address the applicant proved on the request that submitted (signed in
    #: to the account of :meth:`SubmitHandler.applicant_email`), or "". A handler that
    #: keeps accounts trusts the address in the answers only when it is this one.
    proven_email: str = ""
    #: What the sign-in on the request that submitted vouched for beyond an e-mail
    #: address (:meth:`SubmitHandler.vouched_identity`): opaque to forms_builder, kept
    #: by the handler apart from the answers. {} when nothing was vouched for.
    vouched_identity: dict[str, Any] = field(default_factory=dict)
    #: Every calculation's value computed on the server from ``answers``, as JSON
    #: (amounts as decimal strings; None when it could not be computed). See
    #: :func:`calculated`.
    calculations: dict[str, Any] = field(default_factory=dict)
    #: The fee (the calculation marked as the fee), or None when the form has none.
    amount_due: Decimal | None = None
    #: The outcome that changes the procedure, as the schema has it
    #: (:func:`forms_builder.outcomes.chosen_procedure`: its title, reference prefix,
    #: team and decision term), or None for the form's own procedure.
    procedure: dict | None = None
    #: True when a lead time was not met and the form accepts the application marked
    #: late (:func:`forms_builder.fields.date.is_late`).
    late: bool = False

    @property
    def schema(self) -> dict:
        """The frozen schema (see :mod:`forms_builder.schema`)."""
        return self.snapshot.schema


def calculated(
    schema: dict, answers: dict, *, late: bool = False
) -> tuple[dict[str, Any], Decimal | None]:
    """The calculations of ``answers`` (``{step_id: {name: value}}``) as JSON, and the fee.

    Computed from the answers of the visible steps and questions only, the way the
    check page showed them; never from anything a browser posted. ``late``: the
    application is accepted marked late (formulas read it as ``te_laat``).
    """
    visible = conditions.visible_steps(schema, answers)
    known = conditions.answers_by_name(schema, answers, visible)
    values = calculations.compute(schema, known, late=late)
    return calculations.as_json(schema, values), calculations.fee_of(schema, values)


class SubmittedRecord(Protocol):
    """What the confirmation page shows of a handled submission."""

    reference: str
    #: The title of the procedure an outcome chose ("" for the form's own).
    procedure: str
    #: The address e-mails about it go to ("" when the applicant gave none).
    applicant_email: str
    #: The date the municipality decides by, when it is known already.
    decision_due: datetime.date | None
    #: The decision term in days (counted from completeness when there is no date yet).
    term_days: int | None
    #: The fee computed from the answers; None when the form has no fee.
    amount_due: Decimal | None
    #: True while the application waits for its fee to be paid online before it is
    #: sent (:meth:`SubmitHandler.pays_before_sending`); the status URL leads to paying.
    awaiting_payment: bool
    #: The procedure stages it was submitted with (forms_builder.stages ids).
    stages: list

    def get_status_url(self) -> str: ...


class SubmitHandler:
    """Takes finished applications. Register one subclass with
    ``submit_handlers.register`` in an ``AppConfig.ready()``."""

    #: Identifier of the handler (its registry id).
    handler_id: ClassVar[str] = ""

    def submit(self, submission: Submission) -> int:
        """Store ``submission`` and return the id of what was made of it.

        Called inside the wizard's transaction, which also marks the draft as
        submitted with this id: raising rolls both back. The handler moves the files
        out of the draft's storage; the wizard deletes the draft's copies later.
        """
        raise NotImplementedError

    def submitted(self, submitted_id: int) -> SubmittedRecord | None:
        """The record :meth:`submit` returned ``submitted_id`` for, or None when it is
        gone; the confirmation page shows it."""
        raise NotImplementedError

    def count_submitted(self, form_page: ApplicationFormPage) -> int:
        """How many submissions ``form_page`` received (for its maximum)."""
        raise NotImplementedError

    def team_choices(self) -> list[tuple[int, str]]:
        """The teams an outcome can send an application to, as (id, name); the id is
        what the outcome's ``team`` holds. None by default."""
        return []

    def form_figures(self, form_page: ApplicationFormPage, period: Period) -> DossierFigures | None:
        """What became of the submissions of ``form_page`` made in ``period``: statuses,
        decisions, ratings, in a fixed number of aggregate queries. None (the default)
        when the handler keeps no such record."""
        return None

    def applicant_email(self, request: HttpRequest) -> str:
        """The verified e-mail address of the applicant signed in on ``request``, or ""
        (the default: no applicant accounts)."""
        return ""

    def vouched_identity(self, request: HttpRequest) -> dict[str, Any]:
        """What the sign-in of the applicant on ``request`` vouched for (a person, an
        enterprise, a level of assurance), as JSON the handler understands; {} (the
        default) when nothing was. Never read from the answers: anyone can type them."""
        return {}

    def pays_before_sending(self, form_page: ApplicationFormPage, amount_due) -> bool:
        """Whether an application of ``form_page`` with fee ``amount_due`` is paid online
        before it is sent (the check page's button says so; the record then has
        ``awaiting_payment`` and the confirmation page leads to paying). False by
        default."""
        return False


#: The registered submit handlers; exactly one is used (see :func:`get_submit_handler`).
submit_handlers: Registry[SubmitHandler] = Registry("submit handler", id_attribute="handler_id")


def get_submit_handler() -> SubmitHandler:
    """The one registered submit handler; ``ImproperlyConfigured`` when there is none
    or more than one."""
    handlers = submit_handlers.all()
    if len(handlers) != 1:
        raise ImproperlyConfigured(_problem(handlers))
    return handlers[0]


def submit(submission: Submission) -> int:
    """Hand ``submission`` to the registered handler; the id of what it made of it."""
    return get_submit_handler().submit(submission)


def check_submit_handler(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: exactly one submit handler is registered."""
    handlers = submit_handlers.all()
    if len(handlers) == 1:
        return []
    return [checks.Error(_problem(handlers), id="forms_builder.E001")]


def _problem(handlers: list[SubmitHandler]) -> str:
    if not handlers:
        return (
            "No submit handler is registered, so finished applications have nowhere to "
            "go. Install the 'dossiers' app (it registers one in DossiersConfig.ready()) "
            "or register a forms_builder.submission.SubmitHandler yourself."
        )
    ids = ", ".join(handler.handler_id for handler in handlers)
    return f"More than one submit handler is registered ({ids}); register exactly one."
