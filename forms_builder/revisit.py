"""How a step looks when the applicant comes back to it, and the files it holds.

GOV.UK's validation pattern: a question shows an error only after the applicant sent
its step. A step shown again (resuming a draft, the back link, a change link on the
check page) is therefore never validated in front of the applicant:

- a step whose stored answers are valid is shown with those answers as the check page
  shows them (an IBAN in groups of four, a phone number in international notation):
  an unbound form with the field types' :meth:`from_json` values;
- a step saved half-way ("save and continue later") shows what was typed, without
  errors, unless the wizard sent the applicant to it because it is not complete
  (:data:`SHOW_ERRORS`).

Files: a step that is refused keeps the files that passed their own checks
(:func:`accepted_files`), and every kept file has a remove button (:data:`REMOVE_FILE`):
a plain submit button, so removing works without JavaScript.
"""

from __future__ import annotations

from django.forms.utils import ErrorDict

from .fields import get_field_type

#: The POST key of a file's remove button; its value is ``<html name>:<storage name>``.
REMOVE_FILE = "remove_file"
#: The key in the wizard's extra data of the step whose errors are shown when it is
#: opened: the step the check page sent the applicant back to.
SHOW_ERRORS = "show_errors"


def upload_names(form) -> list[str]:
    """The names of the form's upload fields."""
    return [
        name
        for name, field in form.field_definitions.items()
        if name in form.fields and getattr(get_field_type(field["type"]), "takes_files", False)
    ]


def offer_remove_buttons(form) -> None:
    """Give every upload field's kept files a remove button."""
    for name in upload_names(form):
        form.fields[name].widget.remove_name = REMOVE_FILE


def lists_files(form) -> bool:
    """Whether the step shows kept files, each with its remove button. Enter in a text
    box presses a form's first submit button, so the step then starts with a hidden copy
    of its "next" button (``theme/templates/forms_builder/wizard_step.html``)."""
    return any(getattr(form.fields[name].widget, "existing", None) for name in upload_names(form))


def form_to_show(form, unbound, *, show_errors: bool):
    """The form to show for a step opened with GET. ``form`` is bound to the stored
    data (or unbound when nothing is stored); ``unbound()`` builds the step's form
    without data."""
    if not form.is_bound:
        return form
    # A step with a repeatable part stays bound: an unbound form would show the part's
    # minimum of empty items instead of the applicant's items.
    if form.is_valid() and not getattr(form, "item_groups", None):
        shown = unbound()
        shown.initial = shown_values(form)
        return shown
    if not show_errors:
        form._errors = ErrorDict()
    return form


def shown_values(form) -> dict:
    """The valid form's answers as the fields show them again (normalised)."""
    answers = form.answers()
    return {
        name: get_field_type(field["type"]).from_json(answers.get(name), field)
        for name, field in form.field_definitions.items()
        if name in answers and answers.get(name) is not None
    }


def accepted_files(form) -> dict[str, list]:
    """The files to hold for each upload field of a refused step, by HTML name: those
    kept from before and the new ones that passed their own checks."""
    return {form.add_prefix(name): form.fields[name].files_to_hold() for name in upload_names(form)}


def without(files: dict[str, list], remove: str) -> dict[str, list]:
    """``files`` (by HTML name) without the one a remove button names."""
    html_name, _, tmp_name = remove.partition(":")
    return {
        name: [
            uploaded
            for uploaded in items
            if not (name == html_name and getattr(uploaded, "loket_tmp_name", None) == tmp_name)
        ]
        for name, items in files.items()
    }


def link_answers_to_questions(sections: list[dict], forms_by_step_id: dict, urls: dict) -> None:
    """Give every answer on the check page its own change link, to its question on its
    step (``urls``: step id → step URL; ``forms_by_step_id``: the validated forms)."""
    for section in sections:
        form, url = forms_by_step_id.get(section["id"]), urls.get(section["id"])
        if form is None or url is None:
            continue
        for row in section["rows"]:
            anchor = form[row["name"]].id_for_label if row["name"] in form.fields else ""
            row["change_url"] = f"{url}#{anchor}" if anchor else url
