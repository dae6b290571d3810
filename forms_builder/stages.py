"""The stages a form's procedure can use: the extension point between a form and the
app that handles its applications.

Administrators choose per form, from a fixed library, which stages its procedure uses
(:attr:`ApplicationFormPage.stages`). This module knows only the ids, names and help
texts of the stages that exist; what a stage *does* lives with the app that handles
the applications (``dossiers.stages``), which offers each stage here when it starts.
So the form offers only stages that do something, and ``forms_builder`` never imports
the app behind it.

To add a stage (a college decision, payment before the permit): build it in the
handling app and offer it there with :func:`offer`; the form's settings list it at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.registry import Registry

#: The id of the completeness check: a form's decision term can wait for it
#: (``ApplicationFormPage.term_starts``).
COMPLETENESS = "completeness"
#: The id of "payment when submitting": the check page says the applicant pays the fee
#: online before the application is sent (the handling app does the paying).
PREPAYMENT = "prepayment"
#: The id of "report from a resident" (melding): the confirmation page says whether the
#: reporter hears more (only with an e-mail address); the handling app routes it.
REPORT = "report"


@dataclass(frozen=True)
class StageOption:
    """One stage as the form's settings offer it."""

    #: Stored in ``ApplicationFormPage.stages``; never change it once used.
    id: str
    #: What the administrator reads next to the checkbox.
    label: str
    #: One sentence on what the stage does for the procedure.
    help_text: str = ""


#: The stages on offer, in the order the procedure runs them.
stage_options: Registry[StageOption] = Registry("procedure stage")


def offer(option: StageOption) -> StageOption:
    """Offer ``option`` in every form's settings (refuses an id offered twice)."""
    return stage_options.add(option.id, option)


def stage_choices() -> list[tuple[str, str]]:
    """(id, "label – help") per offered stage, for the form's settings."""
    return [
        (option.id, f"{option.label} – {option.help_text}" if option.help_text else option.label)
        for option in stage_options.all()
    ]
