"""The question "category of the report" (melding): the categories editors manage.

The options come from the registered category source (:mod:`forms_builder.report_categories`),
grouped by main category in a plain ``select`` (works without JavaScript). The answer is
``{"id": "<category id>", "label": "Main › Sub"}``: the app that handles reports routes on
the id, and the label keeps reading right after a rename.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import report_categories
from .base import FieldType
from .registry import register


class ReportCategoryFormField(forms.ChoiceField):
    """A choice of the source's categories, read when the form is built (new categories
    show at once)."""

    def __init__(self, **kwargs):
        source = report_categories.current_source()
        groups = source.grouped_choices() if source is not None else []
        choices = [("", gettext("Choose what your report is about"))]
        for group, options in groups:
            # A main category without subcategories is one plain option.
            flat = len(options) == 1 and options[0][1] == group
            choices.append(options[0] if flat else (group, options))
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        source = report_categories.current_source()
        label = source.label(value) if source is not None else ""
        if not label:
            raise ValidationError(gettext("Choose a category from the list."), code="invalid")
        return {"id": str(value), "label": label}


@register
class ReportCategoryField(FieldType):
    """The category of a report; a report form has one (stage "report")."""

    type_id = "report_category"
    answer_kind = "choose"
    label = _("Category of the report")
    icon = "warning"
    form_field_class = ReportCategoryFormField
    takes_default = False

    def from_json(self, value, field):
        return value.get("id", "") if isinstance(value, dict) else value

    def display(self, value, field):
        return str(value.get("label", "")) if isinstance(value, dict) else str(value or "")

    def sample_value(self, field):
        return {"id": "0", "label": str(_("Street lighting"))}
