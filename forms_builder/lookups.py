"""Company registers: where an enterprise number field looks a company up.

The form builder does not know where company data comes from; an app registers a
:class:`CompanyRegister` (``dossiers.companies.lookup`` registers the imported KBO open
data). When the applicant presses "Look up" next to an enterprise number field whose
editor turned the lookup on, the wizard asks :func:`look_up` and fills the fields the
editor named with what the register says; the applicant sees the values and can change
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.registry import Registry

from .fields import get_field_type


@dataclass(frozen=True)
class CompanyRecord:
    """What a register says about one enterprise, in the shapes fields store.

    ``address`` has the keys of ``forms_builder.fields.belgian.ADDRESS_PARTS``;
    ``establishments`` holds one line per establishment (number, name, address).
    """

    number: str
    name: str
    legal_form: str = ""
    address: dict | None = None
    establishments: list[str] = field(default_factory=list)
    active: bool = True

    def value_for(self, detail: str):
        """The record's value for a lookup target (see :data:`LOOKUP_TARGETS`)."""
        if detail == "establishments":
            return "\n".join(self.establishments)
        return getattr(self, detail)


#: What a lookup can fill in: the option that names the field, and the record's detail.
LOOKUP_TARGETS = {
    "lookup_name_field": "name",
    "lookup_legal_form_field": "legal_form",
    "lookup_address_field": "address",
    "lookup_establishments_field": "establishments",
}


class CompanyRegister:
    """One place company data comes from."""

    #: Identifier of the register.
    register_id: ClassVar[str] = ""

    def find(self, number: str) -> CompanyRecord | None:
        """The enterprise with compact number ``number`` ("0403170701"), or None."""
        raise NotImplementedError


#: Every company register, asked in registration order.
registers: Registry[CompanyRegister] = Registry("company register", id_attribute="register_id")

#: Class decorator that registers a register (refuses a ``register_id`` that is taken).
register = registers.register


def look_up(number: str) -> CompanyRecord | None:
    """The first register's record of ``number``, or None when no register knows it."""
    for company_register in registers.all():
        record = company_register.find(number)
        if record is not None:
            return record
    return None


def lookup_targets(field: dict) -> dict[str, str]:
    """For an enterprise number field with the lookup on: {target field name: detail}."""
    options = field.get("options") or {}
    if not options.get("company_lookup"):
        return {}
    return {
        options[option].strip(): detail
        for option, detail in LOOKUP_TARGETS.items()
        if (options.get(option) or "").strip()
    }


@dataclass
class LookupOutcome:
    """The step's values after pressing "Look up", and what to tell the applicant."""

    initial: dict
    message: str
    found: bool = False


def values_after_lookup(form: forms.Form, step: dict, field_name: str) -> LookupOutcome:
    """The values to show on ``step`` again after the applicant pressed "Look up" next
    to field ``field_name``: what they typed (``form`` is the step's form bound to the
    POST, not validated), with the fields the editor named filled in from the register.
    A number that is not valid, not known or of a stopped enterprise fills in nothing.
    """
    initial = {
        name: bound.field.widget.value_from_datadict(form.data, form.files, bound.html_name)
        for name, bound in ((name, form[name]) for name in form.fields)
        if not bound.field.widget.needs_multipart_form
    }
    fields = {item["name"]: item for item in step["fields"] if "name" in item}
    number_field = fields.get(field_name)
    targets = lookup_targets(number_field) if number_field else {}
    if number_field is None or number_field["type"] != "enterprise_number" or not targets:
        return LookupOutcome(initial, _("This question cannot look a company up."))
    try:
        number = form.fields[field_name].clean(initial.get(field_name))
    except ValidationError as error:
        return LookupOutcome(initial, " ".join(error.messages))
    if not number:
        return LookupOutcome(initial, _("Enter the enterprise number first, then press Look up."))
    record = look_up(number)
    if record is None:
        return LookupOutcome(
            initial,
            _(
                "We do not find this enterprise number in the register for our municipality. "
                "Fill in the company's details yourself."
            ),
        )
    if not record.active:
        return LookupOutcome(
            initial,
            _("According to the register (KBO) this enterprise has stopped. Check the number."),
        )
    for name, detail in targets.items():
        if name in fields and name in form.fields:
            target = fields[name]
            initial[name] = get_field_type(target["type"]).from_json(
                record.value_for(detail), target
            )
    return LookupOutcome(
        initial,
        _(
            "We filled in the details of %(name)s from the register (KBO). Check them and "
            "change what is not right."
        )
        % {"name": record.name},
        found=True,
    )


#: The field types that can hold each detail a lookup fills in.
TARGET_TYPES = {
    "name": {"short_text", "long_text"},
    "legal_form": {"short_text", "long_text"},
    "address": {"address"},
    "establishments": {"long_text"},
}


def validate_lookups(schema: dict) -> list[str]:
    """Editors' mistakes in the lookup options, as messages for the page's save: a
    question named that is not on the same step, or cannot hold what is filled in."""
    errors = []
    for step in schema.get("steps", []):
        fields = {item["name"]: item for item in step["fields"] if "name" in item}
        for number_field in fields.values():
            if number_field["type"] != "enterprise_number":
                continue
            where = {"step": step["title"], "label": number_field["label"]}
            targets = lookup_targets(number_field)
            if (number_field.get("options") or {}).get("company_lookup") and not targets:
                errors.append(
                    _(
                        'Step "%(step)s", question "%(label)s": name at least one question '
                        "the register lookup fills in."
                    )
                    % where
                )
            for name, detail in targets.items():
                target = fields.get(name)
                if target is None:
                    errors.append(
                        _(
                            'Step "%(step)s", question "%(label)s": the register lookup fills '
                            'in "%(name)s", but this step has no question with that machine name.'
                        )
                        % {**where, "name": name}
                    )
                elif target["type"] not in TARGET_TYPES[detail]:
                    errors.append(
                        _(
                            'Step "%(step)s", question "%(label)s": the question "%(target)s" '
                            "is of the wrong kind for what the register lookup fills in there "
                            "(an address needs an address question, the establishments a "
                            "long text, the name and legal form a text)."
                        )
                        % {**where, "target": target["label"]}
                    )
    return errors


def register_differences(schema: dict, answers: dict) -> list[dict]:
    """Where a sent application differs from the register: for every enterprise number
    field with the lookup on, each target answer that is not what the register says now.

    Rows: ``{"label", "answer", "register"}`` (display texts). A number the register does
    not know gives no rows: there is nothing to compare with.
    """
    rows = []
    for step in schema.get("steps", []):
        step_answers = answers.get(step["id"]) or {}
        fields = {item["name"]: item for item in step["fields"] if "name" in item}
        for number_field in fields.values():
            targets = (
                lookup_targets(number_field) if number_field["type"] == "enterprise_number" else {}
            )
            number = step_answers.get(number_field["name"])
            if not targets or not number:
                continue
            record = look_up(number)
            if record is None:
                continue
            for name, detail in targets.items():
                target = fields.get(name)
                if target is None or name not in step_answers:
                    continue
                field_type = get_field_type(target["type"])
                answer = field_type.display(step_answers[name], target)
                expected = field_type.display(record.value_for(detail) or None, target)
                if _normalised(answer) != _normalised(expected):
                    rows.append({"label": target["label"], "answer": answer, "register": expected})
    return rows


def _normalised(text: str) -> str:
    return " ".join((text or "").split()).casefold()
