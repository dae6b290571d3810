"""Requests of data subjects: find what is held about an e-mail address, an enterprise
number or a national register number, erase it on request, and keep the audit record
of both."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Replace, Upper
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from stdnum.be import nn as national_numbers
from stdnum.exceptions import ValidationError as NumberError

from dossiers.constants import SYSTEM, PrivacyRequestKind, SearchKind
from dossiers.exceptions import ActionRefused
from dossiers.models import ContactPreference, Dossier, PrivacyRequest, SignInToken
from dossiers.portal import vouched
from dossiers.privacy.erasure import REQUEST, erase_personal_data
from forms_builder import drafts as form_drafts
from forms_builder.models import Draft

from .. import workflow


@dataclass(frozen=True)
class SearchTerm:
    """What a privacy request looks for: an e-mail address (lower case), an enterprise
    number (10 digits) or a national register number (11 digits)."""

    kind: str
    value: str

    @property
    def variants(self) -> list[str]:
        """The ways the term may be written in answers and drafts."""
        if self.kind == SearchKind.EMAIL:
            return [self.value]
        number = self.value
        if self.kind == SearchKind.NATIONAL_ID:
            return [number, national_numbers.format(number)]
        return [
            number,
            f"{number[:4]}.{number[4:7]}.{number[7:]}",
            f"{number[:4]} {number[4:7]} {number[7:]}",
        ]


def parse_search_term(text: str) -> SearchTerm:
    """An e-mail address (has an @), a national register number (11 digits with a valid
    check number) or an enterprise number: digits only, 10 digits (an old number of 9
    digits gets its leading 0). Raises ValidationError otherwise."""
    text = (text or "").strip()
    if "@" in text:
        validate_email(text)
        return SearchTerm(SearchKind.EMAIL, text.lower())
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11:
        try:
            return SearchTerm(SearchKind.NATIONAL_ID, national_numbers.validate(digits))
        except NumberError:
            raise ValidationError(
                _("This national register number is not valid. Check the 11 digits."),
                code="invalid",
            ) from None
    if len(digits) == 9:
        digits = "0" + digits
    if len(digits) != 10:
        raise ValidationError(
            _(
                "Enter an e-mail address, an enterprise number of 10 digits or a national "
                "register number of 11 digits."
            ),
            code="invalid",
        )
    return SearchTerm(SearchKind.ENTERPRISE_NUMBER, digits)


def hash_search_term(term: SearchTerm) -> str:
    """A keyed hash of the term (HMAC-SHA256 with the SECRET_KEY): the audit record
    can tell two requests about one person apart from others without holding the term."""
    return salted_hmac(
        "dossiers.privacy.search_term", f"{term.kind}:{term.value}", algorithm="sha256"
    ).hexdigest()


def _compact_enterprise_number(expression):
    """A database expression: the enterprise number without dots, spaces, dashes or BE."""
    for character in (".", " ", "-", "BE"):
        expression = Replace(expression, Value(character), Value(""))
    return expression


@dataclass
class Findings:
    """What is held about one search term."""

    term: SearchTerm
    #: The dossiers, newest first; each has ``found_as``: "applicant", "company" or
    #: "answers" (only mentioned in the answers).
    dossiers: list[Dossier] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    #: The choices of letters (e-mail, paper with a postal address, eBox), newest
    #: first; each has ``found_as``: "own" (the enterprise's, or the person's own
    #: choice by their verified address) or "given_by" (the address gave an
    #: enterprise's choice: only that is erased, the enterprise's choice stays).
    preferences: list[ContactPreference] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.dossiers or self.drafts or self.preferences)

    @property
    def open_dossiers(self) -> list[Dossier]:
        return [dossier for dossier in self.dossiers if dossier.is_open]


def find(term: SearchTerm) -> Findings:
    """Every dossier and draft that holds the term: as the applicant's e-mail address
    or the company's enterprise number, or anywhere in the answers or a draft's data;
    and the choices of letters: the enterprise's, or the person's own (their verified
    address, as recorded), and the enterprise choices an address gave.

    Searching the answers reads every row's JSON as text; a request is rare, so no
    index is kept for it.
    """
    answers = Cast("answers", TextField())
    draft_data = Cast("data", TextField())
    in_answers, in_draft = Q(), Q()
    for variant in term.variants:
        in_answers |= Q(answers_text__icontains=variant)
        in_draft |= Q(data_text__icontains=variant)
    if term.kind == SearchKind.EMAIL:
        own = Q(applicant_email__iexact=term.value)
        dossiers = Dossier.objects.annotate(answers_text=answers).filter(own | in_answers)
        draft_filter = Q(email__iexact=term.value) | in_draft
        own_choice = Q(enterprise_number="", email__iexact=term.value)
        choices = own_choice | Q(given_by__iexact=term.value)
    elif term.kind == SearchKind.NATIONAL_ID:
        # Dossiers the person sent signed in with the government login (by the pseudonym
        # the dossier keeps, see dossiers.portal.vouched), and answers naming the number.
        own = Q(vouched_person__in=vouched.person_keys(term.value))
        dossiers = Dossier.objects.annotate(answers_text=answers).filter(own | in_answers)
        draft_filter = in_draft
        own_choice = choices = Q(pk__in=[])
    else:
        numbers = [term.value] + ([term.value[1:]] if term.value.startswith("0") else [])
        own = Q(compact_number__in=numbers) | Q(vouched_enterprise=term.value)
        dossiers = Dossier.objects.annotate(
            answers_text=answers,
            compact_number=_compact_enterprise_number(Upper("enterprise_number")),
        ).filter(own | in_answers)
        draft_filter = in_draft
        own_choice = choices = Q(enterprise_number=term.value)
    findings = Findings(term=term)
    for dossier in dossiers.select_related("snapshot", "form_page").order_by("-submitted_at"):
        dossier.found_as = _found_as(dossier, term)
        findings.dossiers.append(dossier)
    findings.drafts = list(
        Draft.objects.annotate(data_text=draft_data)
        .filter(draft_filter)
        .select_related("page", "snapshot")
        .order_by("-updated_at")
    )
    own_ids = set(ContactPreference.objects.filter(own_choice).values_list("pk", flat=True))
    for preference in ContactPreference.objects.filter(choices):
        preference.found_as = "own" if preference.pk in own_ids else "given_by"
        findings.preferences.append(preference)
    return findings


def _found_as(dossier: Dossier, term: SearchTerm) -> str:
    if term.kind == SearchKind.EMAIL:
        return "applicant" if dossier.applicant_email.lower() == term.value else "answers"
    if term.kind == SearchKind.NATIONAL_ID:
        own = dossier.vouched_person and dossier.vouched_person in vouched.person_keys(term.value)
        return "applicant" if own else "answers"
    if dossier.vouched_enterprise == term.value:
        return "company"
    compact = re.sub(r"\D", "", dossier.enterprise_number)
    return "company" if len(compact) >= 9 and term.value.endswith(compact) else "answers"


def record_request(
    kind: str, findings: Findings, *, actor, dossiers: int, drafts: int, withdrawn=0, reason=""
) -> PrivacyRequest:
    """Write the audit record of an export or erasure."""
    return PrivacyRequest.objects.create(
        kind=kind,
        search_kind=findings.term.kind,
        search_hash=hash_search_term(findings.term),
        requested_by=actor,
        requested_by_name=(actor.get_full_name() or actor.get_username()) if actor else "",
        dossier_count=dossiers,
        draft_count=drafts,
        withdrawn_count=withdrawn,
        reason=reason,
    )


def earlier_requests(term: SearchTerm) -> QuerySet[PrivacyRequest]:
    """The audit records of earlier exports and erasures about the same term."""
    return PrivacyRequest.objects.filter(
        search_kind=term.kind, search_hash=hash_search_term(term)
    ).select_related("requested_by")


def erase_on_request(
    findings: Findings, *, actor, reason: str, withdraw_open: bool = False
) -> PrivacyRequest:
    """Erase everything found, now, as the data subject asked (with a reason).

    Refused (:class:`ActionRefused`) when open dossiers were found, unless
    ``withdraw_open``: then each is withdrawn (by the system, in the same transaction
    as its erasure, so the e-mail about the withdrawal is never sent) and erased.
    Drafts are deleted with their files. The audit record is written also when an
    erasure fails halfway, with what was done; the error is raised after it.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Give the reason for the erasure."))
    if findings.open_dossiers and not withdraw_open:
        raise ActionRefused(
            _("Some dossiers are still being handled. Tick that they may be withdrawn first.")
        )
    erased = withdrawn = drafts = 0
    try:
        # Drafts first: erasing a dossier deletes the draft it was submitted from.
        for draft in findings.drafts:
            form_drafts.delete_draft(draft)
            drafts += 1
        for dossier in findings.dossiers:
            with transaction.atomic():
                withdrawn += _withdraw_if_open(dossier, allowed=withdraw_open)
                erased += erase_personal_data(dossier.pk, cause=REQUEST, actor=actor)
        if findings.term.kind == SearchKind.EMAIL:
            SignInToken.objects.filter(email__iexact=findings.term.value).delete()
        _erase_preferences(findings)
    finally:
        record = record_request(
            PrivacyRequestKind.ERASURE,
            findings,
            actor=actor,
            dossiers=erased,
            drafts=drafts,
            withdrawn=withdrawn,
            reason=reason,
        )
    return record


def _erase_preferences(findings: Findings) -> None:
    """Delete the subject's own choices of letters (with their postal addresses); of an
    enterprise's choice that they gave, erase only who gave it."""
    own = [each.pk for each in findings.preferences if each.found_as == "own"]
    given = [each.pk for each in findings.preferences if each.found_as == "given_by"]
    with transaction.atomic():
        ContactPreference.objects.filter(pk__in=own).delete()
        ContactPreference.objects.filter(pk__in=given).update(given_by="")


def _withdraw_if_open(dossier: Dossier, *, allowed: bool) -> int:
    """Withdraw the dossier if it is (still) open; 1 when it did. Inside the caller's
    transaction: the row is locked, so its status cannot change before the erasure."""
    locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    if not locked.is_open:
        return 0
    if not allowed:
        raise ActionRefused(
            _("Dossier %(reference)s is being handled again.") % {"reference": locked.reference}
        )
    workflow.transition(locked, "withdraw", actor_kind=SYSTEM, data={"cause": REQUEST})
    return 1
