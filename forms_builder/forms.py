"""The Django forms applicants fill in: one per step, built from the schema, and the
declaration on the check-your-answers page."""

from __future__ import annotations

import json

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy

from . import calculations, conditions, repeatable, rules
from .conditions import OPTION_CONDITIONS
from .fields import asking, get_field_type
from .translation import language_marks

#: A choice the applicant cannot make with their answers (a tampered post, or an option
#: shown on a condition on this step that does not hold).
UNAVAILABLE_OPTION = gettext_lazy(
    "You cannot choose “%(value)s” with your answers. Choose one of the options shown."
)


class StepForm(forms.Form):
    """The Django form of one step, built from the step's schema.

    Fields whose condition depends on earlier steps are left out when it does not hold.
    Fields whose condition depends on an answer in this same step are rendered (a
    script shows and hides them) but only required, validated and kept when their
    condition holds on the submitted values. Information texts and headings follow the
    same conditions (one on this step's answers is left to the script: they take no
    answer). Options of a choice question shown only on a condition are left out when it
    does not hold on earlier answers, and refused when the step is sent if it does not
    hold on this step's answers (:func:`forms_builder.conditions.hidden_options`).

    ``rules`` are the rules between answers checked on this step
    (:func:`forms_builder.rules.rules_for_step`); one that does not hold puts its
    message next to its question, or next to a question of the item where it breaks
    when it is shown in a repeatable part.

    A repeatable part is an :class:`~forms_builder.repeatable.ItemGroup` in
    :attr:`groups` (its number of items is a hidden field of this form); its errors
    make this form invalid and are listed in the error summary with a link per item.
    """

    def __init__(
        self,
        *args,
        step: dict,
        earlier_answers: dict | None = None,
        earlier_values: dict | None = None,
        stored_files=None,
        schema: dict | None = None,
        rules: list[dict] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.step = step
        self.schema = schema
        self.rules = rules or []
        self.earlier_answers = earlier_answers or {}
        self.field_definitions: dict[str, dict] = {}
        #: name → condition, for fields that depend on this step's own answers.
        self.live_conditions: dict[str, dict] = {}
        #: name → options whose condition depends on this step's own answers.
        self.live_options: dict[str, list[dict]] = {}
        self.hidden_names: set[str] = set()
        #: ("field", name) and ("content", definition) in the order the editor chose.
        self.layout: list[tuple[str, object]] = []
        #: name → ItemGroup, for the repeatable parts of this step.
        self.groups: dict[str, repeatable.ItemGroup] = {}
        own_names = {field.get("name") for field in step["fields"]}
        for field in step["fields"]:
            field_type = get_field_type(field["type"])
            condition = field.get("condition")
            depends_on_own = bool(conditions.referenced_fields(condition) & own_names)
            if not field_type.has_input:
                if condition and not depends_on_own:
                    if not conditions.evaluate(condition, self.earlier_answers):
                        continue
                self.layout.append(("content", field))
                continue
            if condition and not depends_on_own:
                if not conditions.evaluate(condition, self.earlier_answers):
                    continue
            form_field = field_type.get_form_field(field, earlier_values)
            asking.apply(form_field, field_type, field)
            # "nl" on the texts an English step shows in Dutch (forms_builder.translation).
            form_field.loket_lang = language_marks(field)
            if conditions.option_conditions(field):
                self._limit_options(field, form_field, own_names)
            if getattr(field_type, "takes_files", False):
                self._attach_stored_files(field["name"], form_field, stored_files)
            if condition and depends_on_own:
                form_field.loket_required = form_field.required
                form_field.required = False
                form_field.loket_condition = conditions.client_condition_json(
                    condition, self.earlier_answers
                )
                self.live_conditions[field["name"]] = condition
            self.fields[field["name"]] = form_field
            self.field_definitions[field["name"]] = field
            if repeatable.is_repeatable(field):
                group = repeatable.ItemGroup(self, field, earlier_values)
                self.groups[field["name"]] = group
                # The hidden input holds the number of items, not the stored list.
                form_field.initial = str(group.count)
                self.initial = {k: v for k, v in self.initial.items() if k != field["name"]}
                self.layout.append(("group", field["name"]))
                continue
            self.layout.append(("field", field["name"]))

    def _limit_options(self, field: dict, form_field, own_names: set) -> None:
        """Leave out the options whose condition on earlier answers does not hold; a
        tampered post with one of them gets a clear message."""
        hidden = set()
        for entry in conditions.option_conditions(field):
            if conditions.referenced_fields(entry.get("condition")) & own_names:
                self.live_options.setdefault(field["name"], []).append(entry)
            elif not conditions.evaluate(entry.get("condition"), self.earlier_answers):
                hidden.add(entry["option"])
        if hidden:
            form_field.choices = [
                choice for choice in form_field.choices if choice[0] not in hidden
            ]
        if live := self.live_options.get(field["name"]):
            # For conditions.js: the options it hides and shows as this step is answered
            # (``data-option-conditions``); the server still refuses a hidden one.
            form_field.loket_option_conditions = json.dumps(
                [
                    {
                        "option": entry["option"],
                        "condition": json.loads(
                            conditions.client_condition_json(
                                entry["condition"], self.earlier_answers
                            )
                        ),
                    }
                    for entry in live
                ],
                ensure_ascii=False,
            )
        form_field.error_messages["invalid_choice"] = UNAVAILABLE_OPTION

    @cached_property
    def media(self):
        """The widgets' scripts and stylesheets, merged once per form: the step template
        asks twice (head and end of the page) and Django merges them on every call."""
        return super().media

    @property
    def has_company_lookup(self) -> bool:
        """Whether a field of the step has a "Look up" button (an extra submit button)."""
        return any(getattr(field, "company_lookup", False) for field in self.fields.values())

    def layout_items(self):
        """What the step shows, in order: bound fields and information texts."""
        for kind, item in self.layout:
            if kind == "field":
                yield {"field": self[item]}
            elif kind == "group":
                yield {"group": self.groups[item], "count_field": self[item]}
            else:
                condition = item.get("condition")
                own = condition and conditions.referenced_fields(condition) & set(self.fields)
                yield {
                    "content": get_field_type(item["type"]).content_html(item),
                    "lang": item.get("content_lang", ""),
                    "condition": conditions.client_condition_json(condition, self.earlier_answers)
                    if own
                    else "",
                }

    def _attach_stored_files(self, name, form_field, stored_files) -> None:
        """Give an upload field the files stored earlier, minus those the applicant
        unticked (``<field>-keep``; absent means keep them all)."""
        html_name = self.add_prefix(name)
        stored = stored_files.getlist(html_name) if stored_files else []
        keep = None
        if self.is_bound and f"{html_name}-keep" in self.data:
            keep = [value for value in self.data.getlist(f"{html_name}-keep") if value]
        form_field.set_existing(stored, keep)

    def stored_file_lists(self) -> dict:
        """The files to keep for this step, by HTML field name (for the draft storage)."""
        return {
            self.add_prefix(name): self.cleaned_data.get(name) or []
            for name, field in self.field_definitions.items()
            if getattr(get_field_type(field["type"]), "takes_files", False)
            and name not in self.hidden_names
        }

    def _json_value(self, name: str):
        field = self.field_definitions[name]
        value = self.cleaned_data.get(name)
        return get_field_type(field["type"]).to_json(value, field)

    def clean(self):
        cleaned_data = super().clean()
        self._clean_groups(cleaned_data)
        self._apply_live_conditions(cleaned_data)
        self._check_live_options(cleaned_data)
        self._check_rules(cleaned_data)
        return cleaned_data

    def _check_live_options(self, cleaned_data) -> None:
        """Refuse an option whose condition on this step's answers does not hold."""
        if not self.live_options:
            return
        own_values = {
            name: self._json_value(name)
            for name in self.field_definitions
            if name in cleaned_data and name not in self.hidden_names
        }
        known = {**self.earlier_answers, **own_values}
        for name, entries in self.live_options.items():
            value = own_values.get(name)
            if name in self._errors or not isinstance(value, str):
                continue
            if value in conditions.hidden_options({"options": {OPTION_CONDITIONS: entries}}, known):
                self.add_error(name, UNAVAILABLE_OPTION % {"value": value})

    def _clean_groups(self, cleaned_data) -> None:
        """Each repeatable part's items as its answer; an item's error makes the step
        invalid (it is shown at the item's question, see ItemGroup.error_links)."""
        for name, group in self.groups.items():
            items = group.clean()
            if items is None:
                cleaned_data.pop(name, None)
                self._errors.setdefault(f"{group.prefix}-items", self.error_class())
            else:
                cleaned_data[name] = items

    @property
    def item_groups(self) -> list:
        """The repeatable parts of this step (for the error summary)."""
        return list(self.groups.values())

    def quiet(self) -> None:
        """Show the values as posted without errors: the applicant just added or removed
        an item and has not sent the step yet."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        for group in self.groups.values():
            group.quiet()

    def _check_rules(self, cleaned_data) -> None:
        """Put the message of every rule of this step that does not hold next to its
        question (or above the form when that question is not shown)."""
        if not self.rules or self.schema is None:
            return
        own = {
            name: self._json_value(name)
            for name in self.field_definitions
            if name in cleaned_data and name not in self.hidden_names
        }
        if any(name in self._errors for name in own) or any(
            group.has_errors() for group in self.groups.values()
        ):
            return  # first the questions' own errors; then the rules
        values = calculations.formula_values(self.schema, {**self.earlier_answers, **own})
        today = timezone.localdate()
        for rule in rules.broken_rules(self.rules, values, today=today):
            group_name, question = repeatable.split_target(rule["field"])
            group = self.groups.get(group_name)
            if group is not None and group_name not in self.hidden_names:
                index = repeatable.breaking_item(rule, values, group_name, today=today)
                if index is not None and question in group.forms[index].fields:
                    group.forms[index].add_error(question, rule["message"])
                    self._errors.setdefault(f"{group.prefix}-items", self.error_class())
                    continue
                self.add_error(group_name, rule["message"])
                group.errors.append(rule["message"])
                continue
            field = rule["field"] if rule["field"] in self.fields else None
            if field in self.hidden_names:
                field = None
            self.add_error(field, rule["message"])

    def _apply_live_conditions(self, cleaned_data) -> None:
        if not self.live_conditions:
            return
        own_values = {
            name: self._json_value(name) for name in self.field_definitions if name in cleaned_data
        }
        # Chains (a field shown by a field that is itself conditional) are resolved in
        # step order by visible_fields().
        shown = conditions.visible_fields(self.step, {**self.earlier_answers, **own_values})
        for name in self.live_conditions:
            if name in shown:
                field = self.fields[name]
                if field.loket_required and name not in self._errors:
                    # The field's own check, so an unticked consent box counts as empty.
                    field.required = True
                    try:
                        field.validate(cleaned_data.get(name))
                    except forms.ValidationError as error:
                        self.add_error(name, error)
                    finally:
                        field.required = False
            else:
                self.hidden_names.add(name)
                cleaned_data.pop(name, None)
                self._errors.pop(name, None)
                if name in self.groups:  # a hidden repeatable part: its items do not count
                    self._errors.pop(f"{self.groups[name].prefix}-items", None)
                    self.groups[name].quiet()

    def answers(self) -> dict:
        """The cleaned data as stored JSON values, keyed by field name."""
        return {
            name: self._json_value(name)
            for name in self.field_definitions
            if name not in self.hidden_names
        }


class DeclarationForm(forms.Form):
    """The applicant's declaration on the check-your-answers page."""

    accept = forms.BooleanField(label=gettext_lazy("I declare that this is true"))

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not required:
            del self.fields["accept"]
