"""Privacy (GDPR): erasing personal data, and the requests of data subjects.

- **Retention** (:mod:`.erasure`). Each form says how many months the personal data of
  its closed dossiers are kept (``ApplicationFormPage.retention_months``; 0 keeps
  them). The periodic task ``dossiers.tasks.erase_expired_personal_data`` calls
  :func:`erase_expired_personal_data`, which erases them with
  :func:`erase_personal_data`, one dossier per transaction. The periodic task
  ``dossiers.tasks.erase_expired_contact_data`` empties the addresses of printed paper
  letters past their dossier's retention and deletes superseded choices for letters
  (:func:`~dossiers.privacy.erasure.erase_expired_contact_data`).
- **Requests** (:mod:`.requests`, :mod:`.export`). An administrator finds everything
  held about an e-mail address or an enterprise number (:func:`find`; dossiers,
  drafts and choices for letters), downloads it as
  a ZIP (:func:`write_export`), or erases it at once (:func:`erase_on_request`). Every
  export and erasure is written down as a :class:`~dossiers.models.PrivacyRequest`
  with a keyed hash of the term, never the term itself.

Erasure keeps what statistics need and nothing that says who applied: the reference,
form, dates, status history (event types and statuses), the decision outcome, the
rating's score and the officers involved. See docs/PRIVACY.md.
"""

from dossiers.privacy.erasure import (
    BATCH_SIZE,
    KEPT_EVENT_KEYS,
    PERSONAL_FIELDS,
    REQUEST,
    RETENTION,
    default_retention_months,
    erase_expired_personal_data,
    erase_personal_data,
    expired_dossiers,
    months_before,
)
from dossiers.privacy.export import write_export
from dossiers.privacy.requests import (
    Findings,
    SearchTerm,
    earlier_requests,
    erase_on_request,
    find,
    hash_search_term,
    parse_search_term,
    record_request,
)

__all__ = [
    "BATCH_SIZE",
    "KEPT_EVENT_KEYS",
    "PERSONAL_FIELDS",
    "REQUEST",
    "RETENTION",
    "Findings",
    "SearchTerm",
    "default_retention_months",
    "earlier_requests",
    "erase_expired_personal_data",
    "erase_on_request",
    "erase_personal_data",
    "expired_dossiers",
    "find",
    "hash_search_term",
    "months_before",
    "parse_search_term",
    "record_request",
    "write_export",
]
