"""The editable parts of a decision letter (:class:`~dossiers.models.DecisionLetterTemplate`):
their placeholders, the check when an editor saves them, and filling them in.

Placeholders work as in the editable e-mail texts (:func:`dossiers.outbox.kinds.fill_in`):
names in braces, values inserted as plain text, never read by the template engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.constants import Outcome
from dossiers.outbox.kinds import COMPANY, FORM, NAME, REFERENCE, Placeholder, fill_in

if TYPE_CHECKING:
    # Not at run time: the model checks its texts with this module.
    from dossiers.models import DecisionLetterTemplate, Dossier

DECISION = Placeholder(
    "beslissing",
    gettext_lazy("what was decided, in words: approved or refused"),
    gettext_lazy("approved"),
)
DECISION_DATE = Placeholder(
    "datum",
    gettext_lazy("the date of the decision"),
    lazy(lambda: formats.date_format(date(2026, 6, 12), "j F Y"), str)(),
)
SUBMITTED_DATE = Placeholder(
    "indieningsdatum",
    gettext_lazy("the date the application was submitted"),
    lazy(lambda: formats.date_format(date(2026, 5, 4), "j F Y"), str)(),
)
MUNICIPALITY = Placeholder("gemeente", gettext_lazy("the name of the municipality"), "Voorbeeld")

#: Every placeholder a decision letter may use.
PLACEHOLDERS = (
    REFERENCE,
    FORM,
    NAME,
    COMPANY,
    DECISION,
    DECISION_DATE,
    SUBMITTED_DATE,
    MUNICIPALITY,
)


def decision_in_words(outcome: str) -> str:
    """ "approved" or "refused" in the active language (empty without a decision)."""
    if outcome == Outcome.APPROVED:
        return _("approved")
    if outcome == Outcome.REJECTED:
        return _("refused")
    return ""


def check(text: str) -> None:
    """Raises :class:`~dossiers.outbox.kinds.TextError` (for the editor) when ``text``
    uses an unknown placeholder or a stray brace."""
    fill_in(text, {each.name: str(each.example) for each in PLACEHOLDERS})


def values(dossier: Dossier, municipality: str) -> dict[str, str]:
    """The placeholders' values for ``dossier``, as plain text in the active language."""
    decided = timezone.localtime(dossier.decided_at or timezone.now()).date()
    return {
        REFERENCE.name: dossier.reference,
        FORM.name: dossier.form_title,
        NAME.name: dossier.applicant_name,
        COMPANY.name: dossier.company_name,
        DECISION.name: decision_in_words(dossier.decision_outcome),
        DECISION_DATE.name: formats.date_format(decided, "j F Y"),
        SUBMITTED_DATE.name: formats.date_format(
            timezone.localtime(dossier.submitted_at).date(), "j F Y"
        ),
        MUNICIPALITY.name: municipality,
    }


@dataclass(frozen=True)
class LetterParts:
    """The editable parts of one letter, filled in (empty where the template has none)."""

    opening: str = ""
    legal_basis: str = ""
    conditions: str = ""
    appeal: str = ""


def parts_for(
    template: DecisionLetterTemplate | None, dossier: Dossier, municipality: str
) -> LetterParts:
    """The filled-in parts of ``template`` for ``dossier``; empty parts without a
    template. Called with the letter's language active."""
    if template is None:
        return LetterParts()
    filled = values(dossier, municipality)
    return LetterParts(
        opening=fill_in(template.opening, filled),
        legal_basis=fill_in(template.legal_basis, filled),
        conditions=fill_in(template.conditions, filled),
        appeal=fill_in(template.appeal, filled),
    )
