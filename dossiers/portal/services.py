"""What Mijn loket shows of an applicant: their dossiers, drafts and company details.

Everything is found by the identity's verified e-mail address, compared without case;
dossiers only once their applicant proved that address (:mod:`.confirmation`), so a
dossier someone else submitted with it never shows here and never prefills. Signed in
with the government login, a person also sees the dossiers that login vouched for when
they were submitted: theirs, and their enterprise's (:mod:`.vouched`); never by a number
typed in a form.
Each function is a fixed number of queries, however many dossiers an address has.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from core.background import queue
from dossiers.models import Appointment, AppointmentStatus, Dossier, Permit, SignInToken
from dossiers.portal import confirmation, tokens, vouched
from dossiers.portal.identity import ApplicantIdentity, normalise_email
from dossiers.portal.tasks import send_sign_in_link
from forms_builder.fields.registry import field_types
from forms_builder.lookups import look_up
from forms_builder.models import Draft
from forms_builder.schema import input_fields

#: How many of an applicant's latest dossiers are searched for company details.
DETAILS_FROM_LATEST = 10


def _own_dossiers(identity: ApplicantIdentity) -> Q:
    """Submitted with the identity's verified address and proven to be theirs."""
    if not identity.email:
        return Q(pk__in=[])
    return confirmation.proven() & Q(applicant_email__iexact=identity.email)


def dossiers_for(identity: ApplicantIdentity) -> QuerySet[Dossier]:
    """The applicant's dossiers, newest first, with only what a list shows: those
    submitted with the identity's address and proven to be theirs; those the same
    person submitted signed in with the government login (matched by the pseudonym of
    the national register number the login vouched for); and those submitted for the
    enterprise a sign-in vouched the person acts for. Never by an enterprise or
    national register number typed in a form (:mod:`dossiers.portal.vouched`)."""
    found = _own_dossiers(identity)
    if identity.enterprise_number:
        found |= Q(vouched_enterprise=identity.enterprise_number)
    if identity.national_id:
        found |= Q(vouched_person__in=vouched.person_keys(identity.national_id))
    return (
        Dossier.objects.filter(found)
        .only(
            "reference",
            "public_id",
            "access_key",
            "form_title",
            "status",
            "submitted_at",
            "decision_due",
            "due_paused_on",
        )
        .order_by("-submitted_at", "-pk")
    )


def company_dossiers(number: str) -> QuerySet[Dossier]:
    """The applications submitted for the enterprise ``number`` by someone a sign-in
    vouched acts for it (never by the number typed in a form), newest first."""
    return (
        Dossier.objects.filter(vouched_enterprise=number)
        .only("reference", "public_id", "access_key", "form_title", "status", "submitted_at")
        .order_by("-submitted_at", "-pk")
    )


def company_permits(number: str) -> QuerySet[Permit]:
    """The permits of the enterprise ``number`` that are not withdrawn, ending soonest
    first: of the applications :func:`company_dossiers` lists."""
    return (
        Permit.objects.filter(dossier__vouched_enterprise=number, withdrawn_at=None)
        .select_related("dossier")
        .order_by("valid_until")
    )


def appointments_for(identity: ApplicantIdentity) -> QuerySet[Appointment]:
    """The applicant's coming appointments, soonest first: booked with the identity's
    address (the confirmation went to that address, so its owner knows them already)."""
    return (
        Appointment.objects.filter(
            Q(email__iexact=identity.email) if identity.email else Q(pk__in=[]),
            status=AppointmentStatus.BOOKED,
            starts_at__gt=timezone.now(),
        )
        .select_related("appointment_type", "desk")
        .order_by("starts_at")
    )


def drafts_for(identity: ApplicantIdentity) -> QuerySet[Draft]:
    """The applicant's unfinished, unexpired drafts of published forms, last saved first.

    A draft carries an e-mail address once its applicant asked for a resume link.
    """
    return (
        Draft.objects.filter(
            Q(email__iexact=identity.email) if identity.email else Q(pk__in=[]),
            submitted_dossier_id__isnull=True,
            expires_at__gt=timezone.now(),
            page__live=True,
        )
        .select_related("page")
        .defer("data", "page__steps")
        .order_by("-updated_at")
    )


@dataclass
class CompanyDetails:
    """The company and contact details an applicant gave before, for prefill."""

    company_name: str = ""
    enterprise_number: str = ""
    #: The company's address as stored by the address field type, or None.
    address: dict | None = None
    #: Address answers of the company's dossier by machine name, to prefer the same
    #: question in a new form.
    addresses_by_name: dict[str, dict] = field(default_factory=dict)
    applicant_name: str = ""
    applicant_email: str = ""
    applicant_phone: str = ""

    def for_target(self, target: str) -> Any:
        """The value for a ``maps_to`` target of the form builder ("" when unknown)."""
        return getattr(self, target, "") if target in MAPPED_TARGETS else ""


#: The ``maps_to`` targets of the form builder that CompanyDetails knows.
MAPPED_TARGETS = {
    "company_name",
    "enterprise_number",
    "applicant_name",
    "applicant_email",
    "applicant_phone",
}


def company_details(identity: ApplicantIdentity) -> CompanyDetails:
    """The applicant's details from their latest dossiers (one query).

    Company details (name, enterprise number, address) come together from the newest
    dossier that names a company (a mapped company name or enterprise number, or an
    answer to an enterprise number question), so two companies of one person never
    mix. A name or address no dossier gave comes from the company register, for the
    known enterprise number (one more query or a few, only then). Contact
    details (name, phone) come from the newest dossier that has them. The e-mail
    address and any enterprise number or name are the identity's own, verified ones.
    """
    details = CompanyDetails(
        applicant_email=identity.email,
        enterprise_number=identity.enterprise_number,
        applicant_name=identity.name,
    )
    latest = list(
        Dossier.objects.filter(_own_dossiers(identity))
        .order_by("-submitted_at", "-pk")
        .select_related("snapshot")
        .only(
            "submitted_at",
            "answers",
            "company_name",
            "enterprise_number",
            "applicant_name",
            "applicant_phone",
            "snapshot__schema",
        )[:DETAILS_FROM_LATEST]
    )
    for dossier in latest:
        enterprise_number = dossier.enterprise_number or _first_answer(dossier, "enterprise_number")
        if not (dossier.company_name or enterprise_number):
            continue
        if identity.enterprise_number and enterprise_number != identity.enterprise_number:
            continue
        details.company_name = dossier.company_name
        details.enterprise_number = details.enterprise_number or enterprise_number
        for step, input_field in input_fields(dossier.snapshot.schema):
            if profile_detail(input_field) != "address":
                continue
            value = dossier.answers.get(step["id"], {}).get(input_field["name"])
            if isinstance(value, dict) and value:
                details.addresses_by_name.setdefault(input_field["name"], value)
                if details.address is None:
                    details.address = value
        break
    if details.enterprise_number and (details.address is None or not details.company_name):
        _complete_from_register(details)
    if not details.applicant_name:
        details.applicant_name = next((d.applicant_name for d in latest if d.applicant_name), "")
    details.applicant_phone = next((d.applicant_phone for d in latest if d.applicant_phone), "")
    return details


def _complete_from_register(details: CompanyDetails) -> None:
    """Fill in the company's name and address from the company register (the KBO
    open data, :mod:`forms_builder.lookups`) where no earlier dossier gave them: an
    applicant whose sign-in vouched for an enterprise number gets the seat's address
    in their first application too. What an earlier dossier said wins: the applicant
    typed or checked it."""
    record = look_up(details.enterprise_number)
    if record is None:
        return
    details.company_name = details.company_name or record.name
    if details.address is None and record.address:
        details.address = record.address


def profile_detail(field: dict) -> str:
    """The applicant's detail that an answer to ``field`` (a schema field definition) is
    by its type (the field type's ``profile_detail``); "" for none or an unknown type."""
    field_type = field_types.find(field.get("type"))
    return field_type.profile_detail if field_type is not None else ""


def _first_answer(dossier: Dossier, detail: str) -> Any:
    """The first non-empty answer in ``dossier`` of a field whose type says its answers
    are the applicant's ``detail`` (see :func:`profile_detail`), or ""."""
    for step, input_field in input_fields(dossier.snapshot.schema):
        if profile_detail(input_field) == detail:
            value = dossier.answers.get(step["id"], {}).get(input_field["name"])
            if value:
                return value
    return ""


def issue_sign_in_link(email: str, *, next_url: str = "", language: str | None = None) -> None:
    """Create a sign-in token for ``email`` and e-mail its link after commit.

    Nothing sends a lost link later, so with the broker down it is sent from this
    process (like the resume link of a draft).
    """
    token = secrets.token_urlsafe(32)
    row = SignInToken.objects.create(
        email=normalise_email(email),
        token_hash=tokens.hash_token(token),
        expires_at=timezone.now() + datetime.timedelta(minutes=tokens.link_minutes()),
    )
    language = language or get_language() or settings.LANGUAGE_CODE
    next_url = tokens.safe_next(next_url)
    transaction.on_commit(
        lambda: queue(send_sign_in_link, row.pk, token, next_url, language, run_here_if_down=True)
    )
