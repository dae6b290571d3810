"""Prefill from Mijn loket: a signed-in applicant's company and contact details.

Registered with the form builder's prefill registry (imported by
``DossiersConfig.ready()``), after the query-string source: a value in the form's link
wins over the account's.

Which fields get a value:

- every field the editor mapped to applicant or company data ("Use the answer as":
  company name, enterprise number, applicant name, e-mail address, phone) gets that
  detail, whatever its type;
- fields that are not mapped get a value by their type only where the type says what
  the answer is: an enterprise number field gets the company's enterprise number, an
  address field the company's address (the answer to the question with the same
  machine name in the company's last dossier, else its first address). Unmapped e-mail
  and phone fields stay empty: they may ask for somebody else's (an accountant, a
  contact on site).

This ignores the editor's "Can be filled in from a link" flag on purpose. That flag
guards against values from a link anyone can make up; these values are the
applicant's own, from their own dossiers, shown to nobody but them. Applicants expect
a desk that knows them to fill in their company details; every prefilled value is
shown, can be changed, and is validated like a typed one.

Values go through the field type's ``from_json``, so they appear the way applicants
type them (``0403.170.701``, ``+32 470 12 34 56``). See :func:`services.company_details`
for where the details come from.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dossiers.portal import services
from dossiers.portal.identity import current_identity
from forms_builder.fields import get_field_type
from forms_builder.prefill import NO_VALUE, PrefillSource, register


def _details(request) -> services.CompanyDetails | None:
    """The signed-in applicant's details, looked up once per request."""
    cached = getattr(request, "_loket_company_details", False)
    if cached is not False:
        return cached
    identity = current_identity(request) if hasattr(request, "session") else None
    details = services.company_details(identity) if identity is not None else None
    request._loket_company_details = details
    return details


#: The details an editor can give a question as its default answer.
DEFAULT_DETAILS = [
    ("applicant_name", _("the name")),
    ("applicant_email", _("the e-mail address")),
    ("applicant_phone", _("the phone number")),
    ("company_name", _("the company name")),
    ("enterprise_number", _("the enterprise number")),
]


@register
class ApplicantAccountSource(PrefillSource):
    """The company and contact details of the signed-in applicant (Mijn loket)."""

    source_id = "applicant_account"

    def get_value(self, request, field: dict) -> Any:
        # Unmapped fields get the detail their type says their answers are.
        target = field.get("maps_to") or services.profile_detail(field)
        if not target:
            return NO_VALUE
        details = _details(request)
        if details is None:
            return NO_VALUE
        if target == "address":
            value = details.addresses_by_name.get(field["name"]) or details.address
        else:
            value = details.for_target(target)
        if not value:
            return NO_VALUE
        return get_field_type(field["type"]).from_json(value, field)

    def default_choices(self):
        return [
            (
                target,
                gettext("Mijn loket: %(detail)s of the signed-in applicant") % {"detail": label},
            )
            for target, label in DEFAULT_DETAILS
        ]

    def default_value(self, request, field, key):
        """The detail ``key`` of the signed-in applicant, for a question the editor gave
        it as its default answer (also when the question is not mapped to it)."""
        details = _details(request)
        value = details.for_target(key) if details is not None else ""
        if not value:
            return NO_VALUE
        return get_field_type(field["type"]).from_json(value, field)
